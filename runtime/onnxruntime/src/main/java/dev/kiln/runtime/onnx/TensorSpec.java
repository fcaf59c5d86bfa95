package dev.kiln.runtime.onnx;

import dev.kiln.spec.DType;
import java.util.Arrays;

/**
 * A model input or output as ONNX Runtime describes it: name, dtype and shape, where -1 marks a
 * dynamic axis (its symbol, if any, in {@code symbols}).
 */
public record TensorSpec(String name, DType dtype, long[] shape, String[] symbols) {
  /** Shape as text, e.g. {@code [batch, 784]}. */
  public String shapeText() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) b.append(", ");
      if (shape[i] >= 0) b.append(shape[i]);
      else b.append(symbols != null && i < symbols.length && symbols[i] != null && !symbols[i].isEmpty() ? symbols[i] : "?");
    }
    return b.append(']').toString();
  }

  @Override public String toString() { return name + ": " + dtype + shapeText(); }

  @Override public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && t.dtype == dtype && Arrays.equals(t.shape, shape);
  }

  @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }
}
