package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicReduceSumCases extends OpCases {
  @Override protected void define() {
    Dim u = Dim.unknown();
    Attrs drop = Attrs.of("keepdims", false);
    valid("keepdims", List.of(t(F32, 3, 2, 2), t(I64, 1)), Attrs.EMPTY, t(F32, u, u, u));
    valid("drop one axis", List.of(t(F32, 3, 2, 2), t(I64, 1)), drop, t(F32, u, u));
    valid("empty axes reduce all", List.of(t(F32, 3, 2), t(I64, 0)), drop, t(F32));
    valid("empty axes keepdims", List.of(t(F32, 3, 2), t(I64, 0)), Attrs.EMPTY, t(F32, 1, 1));
    valid("empty axes no-op", List.of(t(F32, 3, 2), t(I64, 0)), Attrs.of("noop_with_empty_axes", true), t(F32, 3, 2));
    invalid("too many axes", List.of(t(F32, 3), t(I64, 2)), Attrs.EMPTY, "more than x's rank 1");
    invalid("f32 axes", List.of(t(F32, 3), t(F32, 1)), Attrs.EMPTY, "input axes must be i64");
    for (String s : List.of("example", "random")) {
      onnxData("test_reduce_sum_default_axes_keepdims_" + s, op(Attrs.EMPTY));
      onnxData("test_reduce_sum_do_not_keepdims_" + s, op(drop));
      onnxData("test_reduce_sum_empty_axes_input_noop_" + s, op(Attrs.of("noop_with_empty_axes", true)));
      onnxData("test_reduce_sum_keepdims_" + s, op(Attrs.EMPTY));
    }
    onnxData("test_reduce_sum_negative_axes_keepdims_example", op(Attrs.EMPTY));
    // This data's _random model is in fact an empty-axes no-op case (noop_with_empty_axes=1, axes []).
    onnxData("test_reduce_sum_negative_axes_keepdims_random", op(Attrs.of("noop_with_empty_axes", true)));
    numeric("axes -1 and 0", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
            HostTensor.ofLongs(new long[] {-1, 0}, 2)), op(drop), List.of(HostTensor.ofFloats(new float[] {21})));
    numeric("axis 1 kept", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3),
            HostTensor.ofLongs(new long[] {1}, 1)), op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {6, 15}, 2, 1)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
