package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ReduceSumCases extends OpCases {
  @Override protected void define() {
    valid("all axes keepdims", List.of(t(F32, 2, 3)), Attrs.EMPTY, t(F32, 1, 1));
    valid("all axes dropped", List.of(t(F32, 2, 3)), Attrs.of("keepdims", false), t(F32));
    valid("symbolic kept", List.of(t(F32, "batch", 3, 4)), Attrs.of("axes", new long[] {-1}, "keepdims", false), t(F32, "batch", 3));
    valid("leading axes", List.of(t(F32, 2, 3, 4)), Attrs.of("axes", new long[] {0, 1}, "keepdims", true), t(F32, 1, 1, 4));
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axes", new long[] {2}), "out of range");
    invalid("axis twice", List.of(t(F32, 2, 3)), Attrs.of("axes", new long[] {1, -1}), "twice");
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    onnxData("test_reduce_sum_keepdims_random", new int[] {0},
        (g, in, data) -> g.apply("ReduceSum", in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", true)));
    onnxData("test_reduce_sum_do_not_keepdims_random", new int[] {0},
        (g, in, data) -> g.apply("ReduceSum", in, Attrs.of("axes", data.get(1).toLongs(), "keepdims", false)));
    numeric("hand values, all", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)),
        op(Attrs.of("keepdims", false)), List.of(HostTensor.ofFloats(new float[] {21})));
    numeric("hand values, axis 0", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)),
        op(Attrs.of("axes", new long[] {0})), List.of(HostTensor.ofFloats(new float[] {5, 7, 9}, 1, 3)));
  }

  @Override public boolean smooth() { return true; }
}
