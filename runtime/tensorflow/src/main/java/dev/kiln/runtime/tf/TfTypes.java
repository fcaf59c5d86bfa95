package dev.kiln.runtime.tf;

import dev.kiln.spec.DType;
import dev.kiln.spec.UnsupportedOpException;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/** The one table mapping Kiln dtypes to TensorFlow {@link DataType}s and TF-Java tensor classes. */
public final class TfTypes {
  private TfTypes() {}

  /** The TF data type of a Kiln dtype (every Kiln dtype has one). */
  public static DataType dataType(DType d) {
    return switch (d) {
      case F32 -> DataType.DT_FLOAT;
      case F64 -> DataType.DT_DOUBLE;
      case F16 -> DataType.DT_HALF;
      case BF16 -> DataType.DT_BFLOAT16;
      case I8 -> DataType.DT_INT8;
      case U8 -> DataType.DT_UINT8;
      case I16 -> DataType.DT_INT16;
      case I32 -> DataType.DT_INT32;
      case I64 -> DataType.DT_INT64;
      case BOOL -> DataType.DT_BOOL;
      case U16 -> DataType.DT_UINT16;
      case U32 -> DataType.DT_UINT32;
      case U64 -> DataType.DT_UINT64;
    };
  }

  /** The Kiln dtype of a TF data type, or an error naming the TF type. */
  public static DType dtype(DataType t) {
    for (DType d : DType.values()) if (dataType(d) == t) return d;
    throw new UnsupportedOpException("TensorFlow type " + t + " has no Kiln dtype");
  }

  /**
   * The TF-Java tensor class a tensor of {@code d} crosses the Java boundary as. NOTE: TF-Java 1.1.0 has
   * no tensor classes for int8, int16, uint32 and uint64, so those travel as uint8 / uint16 / int32 / int64 holding the same bytes and
   * are bit-cast ({@code Bitcast}) to their real type inside the graph (see {@link #boundaryType}).
   */
  public static Class<? extends TType> tensorClass(DType d) {
    return switch (d) {
      case I8 -> TUint8.class;
      case I16 -> TUint16.class;
      case F32 -> TFloat32.class;
      case F64 -> TFloat64.class;
      case F16 -> TFloat16.class;
      case BF16 -> TBfloat16.class;
      case U8 -> TUint8.class;
      case I32 -> TInt32.class;
      case I64 -> TInt64.class;
      case BOOL -> TBool.class;
      case U16 -> TUint16.class;
      case U32 -> TInt32.class;
      case U64 -> TInt64.class;
    };
  }

  /** The TF type of the tensors that carry {@code d} across the Java boundary (differs for i8, i16, u32, u64). */
  public static DataType boundaryType(DType d) {
    return switch (d) {
      case I8 -> DataType.DT_UINT8;
      case I16 -> DataType.DT_UINT16;
      case U32 -> DataType.DT_INT32;
      case U64 -> DataType.DT_INT64;
      default -> dataType(d);
    };
  }

  /** Whether {@code d} crosses the Java boundary as another TF type and needs a {@code Bitcast} in the graph. */
  public static boolean needsBitcast(DType d) { return boundaryType(d) != dataType(d); }
}
