package dev.kiln.runtime.io;

import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteOrder;

/**
 * A NumPy array-protocol type string ({@code <f4}, {@code >i8}, {@code |b1}) mapped to a Kiln
 * {@link DType} plus the byte order of the file's data.
 */
record NpyDtype(String descr, DType dtype, boolean bigEndian) {

  /** Parses a descr, refusing object arrays, strings and other kinds Kiln has no dtype for. */
  static NpyDtype parse(String descr, String source) {
    if (descr.length() < 2) throw bad(descr, source, "too short");
    char order = descr.charAt(0);
    String kind = descr.substring(1);
    if (kind.startsWith("O")) {
      throw new ModelFileException(source + ": .npy holds an object array (dtype '" + descr
          + "'); Kiln never unpickles Python objects, save a numeric array instead");
    }
    boolean big = switch (order) {
      case '<' -> false;
      case '>' -> true;
      case '|' -> false;
      case '=' -> ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
      default -> throw bad(descr, source, "the first character must be a byte order '<', '>', '|' or '='");
    };
    DType d = switch (kind) {
      case "f2" -> DType.F16;
      case "f4" -> DType.F32;
      case "f8" -> DType.F64;
      case "i1" -> DType.I8;
      case "u1" -> DType.U8;
      case "i2" -> DType.I16;
      case "i4" -> DType.I32;
      case "i8" -> DType.I64;
      case "u2" -> DType.U16;
      case "u4" -> DType.U32;
      case "u8" -> DType.U64;
      case "b1" -> DType.BOOL;
      default -> throw bad(descr, source, "supported: float16/32/64, int8/16/32/64, uint8/16/32/64 and bool");
    };
    return new NpyDtype(descr, d, big && d.byteSize() > 1);
  }

  /** The descr Kiln writes for {@code d}: little-endian, or {@code |} for one-byte types. */
  static NpyDtype of(DType d) {
    String kind = switch (d) {
      case F16 -> "<f2";
      case F32 -> "<f4";
      case F64 -> "<f8";
      case I8 -> "|i1";
      case U8 -> "|u1";
      case I16 -> "<i2";
      case I32 -> "<i4";
      case I64 -> "<i8";
      case U16 -> "<u2";
      case U32 -> "<u4";
      case U64 -> "<u8";
      case BOOL -> "|b1";
      case BF16 -> throw new KilnException("NumPy has no bfloat16 dtype; cast the tensor to f32 before saving it as .npy");
    };
    return new NpyDtype(kind, d, false);
  }

  /** Turns the file's data bytes into Kiln's little-endian layout in place; bools become 0/1. */
  void toLittleEndian(byte[] data) {
    int w = dtype.byteSize();
    if (bigEndian) {
      for (int at = 0; at < data.length; at += w) {
        for (int i = 0, j = w - 1; i < j; i++, j--) {
          byte tmp = data[at + i];
          data[at + i] = data[at + j];
          data[at + j] = tmp;
        }
      }
    }
    if (dtype == DType.BOOL) {
      // NOTE: NumPy treats any non-zero byte as True; Kiln's bool tensors hold exactly 0 or 1.
      for (int i = 0; i < data.length; i++) data[i] = (byte) (data[i] != 0 ? 1 : 0);
    }
  }

  private static ModelFileException bad(String descr, String source, String why) {
    return new ModelFileException(source + ": unsupported .npy dtype '" + descr + "' (" + why + ")");
  }
}
