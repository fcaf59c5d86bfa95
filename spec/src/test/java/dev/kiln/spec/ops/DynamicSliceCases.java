package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicSliceCases extends OpCases {
  @Override protected void define() {
    Dim u = Dim.unknown();
    valid("default axes keep the rest", List.of(t(F32, 20, 10, 5), t(I64, 2), t(I64, 2)), Attrs.EMPTY, t(F32, u, u, 5));
    valid("with axes and steps", List.of(t(F32, 20, 10, 5), t(I64, 2), t(I64, 2), t(I64, 2), t(I64, 2)), Attrs.EMPTY,
        t(F32, u, u, u));
    invalid("lengths differ", List.of(t(F32, 20, 10), t(I64, 2), t(I64, 1)), Attrs.EMPTY, "input ends has 1 entries, starts has 2");
    invalid("too many", List.of(t(F32, 20), t(I64, 2), t(I64, 2)), Attrs.EMPTY, "more than x's rank 1");
    for (String s : List.of("", "_default_steps", "_end_out_of_bounds", "_neg", "_neg_steps", "_negative_axes",
        "_start_out_of_bounds", "_default_axes")) {
      onnxData("test_slice" + s, op(Attrs.EMPTY));
    }
    HostTensor x = HostTensor.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
    numeric("axis -1 backwards by 2", List.of(x, HostTensor.ofLongs(new long[] {-1}, 1), HostTensor.ofLongs(new long[] {-100}, 1),
            HostTensor.ofLongs(new long[] {-1}, 1), HostTensor.ofLongs(new long[] {-2}, 1)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {3, 1, 7, 5, 11, 9}, 3, 2)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
