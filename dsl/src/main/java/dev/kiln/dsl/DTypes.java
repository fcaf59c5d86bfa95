package dev.kiln.dsl;

import dev.kiln.spec.DType;

/** Typed dtype tokens; import statically: {@code import static dev.kiln.dsl.DTypes.*;}. */
public final class DTypes {
  public static final DataType<dev.kiln.dsl.types.F32> F32 = new DataType<>(DType.F32);
  public static final DataType<dev.kiln.dsl.types.F64> F64 = new DataType<>(DType.F64);
  public static final DataType<dev.kiln.dsl.types.F16> F16 = new DataType<>(DType.F16);
  public static final DataType<dev.kiln.dsl.types.BF16> BF16 = new DataType<>(DType.BF16);
  public static final DataType<dev.kiln.dsl.types.I8> I8 = new DataType<>(DType.I8);
  public static final DataType<dev.kiln.dsl.types.U8> U8 = new DataType<>(DType.U8);
  public static final DataType<dev.kiln.dsl.types.I32> I32 = new DataType<>(DType.I32);
  public static final DataType<dev.kiln.dsl.types.I64> I64 = new DataType<>(DType.I64);
  public static final DataType<dev.kiln.dsl.types.Bool> BOOL = new DataType<>(DType.BOOL);

  private DTypes() {}
}
