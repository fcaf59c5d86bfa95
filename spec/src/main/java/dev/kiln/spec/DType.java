package dev.kiln.spec;

import java.util.Locale;

/**
 * Element types of IR tensors. Each carries its ONNX {@code TensorProto.DataType} code and byte width,
 * so back ends and file readers agree on one table.
 */
public enum DType {
  F32(1, 4, true), F64(11, 8, true), F16(10, 2, true), BF16(16, 2, true),
  I8(3, 1, false), U8(2, 1, false), I16(5, 2, false), I32(6, 4, false), I64(7, 8, false), BOOL(9, 1, false),
  U16(4, 2, false), U32(12, 4, false), U64(13, 8, false);

  private final int onnxCode;
  private final int byteSize;
  private final boolean floating;

  DType(int onnxCode, int byteSize, boolean floating) {
    this.onnxCode = onnxCode;
    this.byteSize = byteSize;
    this.floating = floating;
  }

  /** The ONNX TensorProto.DataType number. */
  public int onnxCode() { return onnxCode; }

  /** Bytes per element. */
  public int byteSize() { return byteSize; }

  /** True for f16, bf16, f32, f64. */
  public boolean isFloating() { return floating; }

  /** True for the signed and unsigned integer types (not bool). */
  public boolean isInteger() { return !floating && this != BOOL; }

  /** True for u8, u16, u32, u64. */
  public boolean isUnsigned() { return this == U8 || this == U16 || this == U32 || this == U64; }

  /** Short lower-case name used in IR text: {@code f32}, {@code i64}, {@code bool}. */
  public String shortName() { return name().toLowerCase(Locale.ROOT); }

  /** The dtype with the given ONNX code. */
  public static DType fromOnnx(int code) {
    for (DType d : values()) if (d.onnxCode == code) return d;
    throw new KilnException("unsupported ONNX tensor element type " + code
        + " (supported: f32, f64, f16, bf16, i8, u8, i16, u16, i32, u32, i64, u64, bool)");
  }

  /** Parses a short name such as {@code f32}. */
  public static DType parse(String shortName) {
    for (DType d : values()) if (d.shortName().equals(shortName)) return d;
    throw new KilnException("unknown dtype '" + shortName + "'");
  }

  @Override public String toString() { return shortName(); }
}
