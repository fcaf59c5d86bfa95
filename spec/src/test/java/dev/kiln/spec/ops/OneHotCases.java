package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import java.util.List;

class OneHotCases extends OpCases {
  @Override protected void define() {
    valid("default: last axis, f32", List.of(t(I64, "batch")), Attrs.of("depth", 10L), t(F32, "batch", 10));
    valid("axis 0, f64", List.of(t(I32, 2, 3)), Attrs.of("depth", 4L, "axis", 0L, "dtype", F64), t(F64, 4, 2, 3));
    valid("axis -2", List.of(t(I32, 2, 3)), Attrs.of("depth", 4L, "axis", -2L), t(F32, 2, 4, 3));
    invalid("float indices", List.of(t(F32, 3)), Attrs.of("depth", 4L), "input indices must be i32 or i64");
    invalid("no depth", List.of(t(I64, 3)), Attrs.EMPTY, "missing required attribute 'depth'");
    invalid("zero depth", List.of(t(I64, 3)), Attrs.of("depth", 0L), "depth must be >= 1, got 0");
    invalid("axis out of range", List.of(t(I64, 3)), Attrs.of("depth", 4L, "axis", 2L), "axis 2 is out of range [-2, 1]");
    onnxData("test_onehot_without_axis", new int[] {0}, onnxCase(-1));
    onnxData("test_onehot_with_axis", new int[] {0}, onnxCase(1));
    onnxData("test_onehot_negative_indices", new int[] {0}, onnxCase(1));
    onnxData("test_onehot_with_negative_axis", new int[] {0}, onnxCase(-2));
    // Index 3 is out of range [-3, 2]: all zeros; -1 counts from the end; -4 is out of range.
    numeric("out of range and negative", List.of(HostTensor.ofLongs(new long[] {0, 3, -1, -4}, 4)),
        op(Attrs.of("depth", 3L)), List.of(HostTensor.ofFloats(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 4, 3)));
  }

  /**
   * ONNX's data give depth and [off, on] values as inputs (off, on not 0, 1) and, in some cases, float
   * indices: the indices are cast to i64, and the 0/1 result is mapped to off + (on - off) * y.
   */
  private static DataBuild onnxCase(long axis) {
    return (g, in, d) -> {
      Value idx = in.get(0);
      if (!idx.type().dtype().isInteger()) idx = Ops.cast(g, idx, I64);
      DType vt = d.get(2).dtype();
      double off = d.get(2).getDouble(0);
      double on = d.get(2).getDouble(1);
      Value y = Ops.oneHot(g, idx, (long) d.get(1).getDouble(0), vt, axis);
      Value scale = Ops.constant(g, HostTensor.scalar(vt, on - off));
      Value shift = Ops.constant(g, HostTensor.scalar(vt, off));
      return List.of(Ops.add(g, Ops.mul(g, y, scale), shift));
    };
  }
}
