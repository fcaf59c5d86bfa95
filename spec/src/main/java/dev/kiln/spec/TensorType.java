package dev.kiln.spec;

/** A dtype and a shape: the static type of every IR value. */
public record TensorType(DType dtype, Shape shape) {
  public static TensorType of(DType dtype, long... sizes) { return new TensorType(dtype, Shape.of(sizes)); }

  public int rank() { return shape.rank(); }

  public TensorType withShape(Shape s) { return new TensorType(dtype, s); }

  public TensorType withDType(DType d) { return new TensorType(d, shape); }

  /** IR text form: {@code f32[batch, 784]}. */
  @Override public String toString() { return dtype.shortName() + shape; }
}
