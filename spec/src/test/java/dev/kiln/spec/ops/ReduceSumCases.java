package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReduceSumCases extends OpCases {
  private static final HostTensor X = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

  @Override protected void define() {
    valid("one axis keepdims", List.of(t(F32, "batch", 4, 5)), Attrs.of("axes", new long[] {1}), t(F32, "batch", 1, 5));
    valid("negative axis dropped", List.of(t(F32, "batch", 4, 5)), Attrs.of("axes", new long[] {-1}, "keepdims", false), t(F32, "batch", 4));
    valid("all axes", List.of(t(F32, 2, 3)), Attrs.of("keepdims", false), t(F32));
    valid("all axes kept", List.of(t(I32, 2, 3)), Attrs.EMPTY, t(I32, 1, 1));
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axes", new long[] {2}), "axis 2 in axes [2] is out of range for rank 2");
    invalid("repeated axis", List.of(t(F32, 2, 3, 4)), Attrs.of("axes", new long[] {2, -1}), "name axis 2 twice");
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_reduce_sum_default_axes_keepdims_example", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    onnxData("test_reduce_sum_default_axes_keepdims_random", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    onnxData("test_reduce_sum_do_not_keepdims_example", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", false)));
    onnxData("test_reduce_sum_do_not_keepdims_random", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", false)));
    onnxData("test_reduce_sum_keepdims_example", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    onnxData("test_reduce_sum_keepdims_random", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    onnxData("test_reduce_sum_negative_axes_keepdims_example", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    // Not included: test_reduce_sum_negative_axes_keepdims_random despite its name sets noop_with_empty_axes=1 with
    // empty axes (an identity), and test_reduce_sum_empty_axes_input_noop_*: Kiln has no noop_with_empty_axes.
    numeric("all axes dropped", List.of(X), op(Attrs.of("keepdims", false)), List.of(HostTensor.ofFloats(new float[] {21})));
    numeric("both axes listed", List.of(X), op(Attrs.of("axes", new long[] {0, -1})), List.of(HostTensor.ofFloats(new float[] {21}, 1, 1)));
    numeric("int32 axis 1", List.of(HostTensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3)),
        op(Attrs.of("axes", new long[] {1}, "keepdims", false)), List.of(HostTensor.ofInts(new int[] {6, 15}, 2)));
  }

  @Override public boolean smooth() { return true; }
}
