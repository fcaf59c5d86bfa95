package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SliceCases extends OpCases {
  @Override protected void define() {
    folding();
    valid("one axis", List.of(t(F32, "batch", 10)), Attrs.of("starts", new long[] {2}, "ends", new long[] {5},
        "axes", new long[] {1}), t(F32, "batch", 3));
    valid("huge end, negative start", List.of(t(F32, 10)), Attrs.of("starts", new long[] {-3}, "ends", new long[] {Long.MAX_VALUE}),
        t(F32, 3));
    valid("reverse", List.of(t(F32, 10)), Attrs.of("starts", new long[] {-1}, "ends", new long[] {Long.MIN_VALUE},
        "steps", new long[] {-1}), t(F32, 10));
    valid("step 3", List.of(t(F32, 10)), Attrs.of("starts", new long[] {1}, "ends", new long[] {10}, "steps", new long[] {3}), t(F32, 3));
    valid("whole dynamic axis kept", List.of(t(F32, "batch", 4)), Attrs.of("starts", new long[] {0, 1},
        "ends", new long[] {Long.MAX_VALUE, 3}), t(F32, "batch", 2));
    valid("part of a dynamic axis", List.of(t(F32, "batch", 4)), Attrs.of("starts", new long[] {1}, "ends", new long[] {3}),
        t(F32, dev.kiln.spec.Dim.unknown(), 4));
    invalid("lengths differ", List.of(t(F32, 10)), Attrs.of("starts", new long[] {0}, "ends", new long[] {1, 2}),
        "must have equal lengths");
    invalid("step 0", List.of(t(F32, 10)), Attrs.of("starts", new long[] {0}, "ends", new long[] {1}, "steps", new long[] {0}),
        "steps must be non-zero");
    invalid("repeated axis", List.of(t(F32, 4, 4)), Attrs.of("starts", new long[] {0, 0}, "ends", new long[] {1, 1},
        "axes", new long[] {1, -1}), "repeat axis 1");
    invalid("axis out of range", List.of(t(F32, 4)), Attrs.of("starts", new long[] {0}, "ends", new long[] {1},
        "axes", new long[] {2}), "axis 2 is out of range");
    for (String test : List.of("test_slice", "test_slice_default_axes", "test_slice_default_steps", "test_slice_end_out_of_bounds",
        "test_slice_neg", "test_slice_neg_steps", "test_slice_negative_axes", "test_slice_start_out_of_bounds")) {
      onnxData(test, new int[] {0}, (g, in, data) -> {
        Attrs a = Attrs.of("starts", data.get(1).toLongs(), "ends", data.get(2).toLongs());
        if (data.size() > 3) a = a.with("axes", data.get(3).toLongs());
        if (data.size() > 4) a = a.with("steps", data.get(4).toLongs());
        return List.of(Ops.slice(g, in.get(0), a));
      });
    }
    numeric("reverse by hand", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5}, 5)),
        op(Attrs.of("starts", new long[] {-1}, "ends", new long[] {Long.MIN_VALUE}, "steps", new long[] {-2})),
        List.of(HostTensor.ofFloats(new float[] {5, 3, 1}, 3)));
  }

  /** Folding cases: constant and symbolic inputs, refusals and errors (spec FoldCasesTest). */
  private void folding() {
    folds("a constant with steps", List.of(known(HostTensor.ofFloats(new float[] {0, 1, 2, 3, 4, 5}, 2, 3))),
        Attrs.of("starts", new long[] {2}, "ends", new long[] {Long.MIN_VALUE}, "axes", new long[] {1}, "steps", new long[] {-2}),
        known(HostTensor.ofFloats(new float[] {2, 0, 5, 3}, 2, 2)));
    folds("a shape's tail", List.of(symShape("batch", 64, 7, 7)), Attrs.of("starts", new long[] {1}, "ends", new long[] {Long.MAX_VALUE}),
        longs(64, 7, 7));
    folds("a shape's head", List.of(symShape("batch", 64, 7, 7)), Attrs.of("starts", new long[] {0}, "ends", new long[] {-2}),
        symShape("batch", 64));
    folds("a fill along a static axis", List.of(fill(HostTensor.ofFloats(new float[] {0f}), 2, "batch", 16)),
        Attrs.of("starts", new long[] {0}, "ends", new long[] {1}, "axes", new long[] {0}), fill(HostTensor.ofFloats(new float[] {0f}), 1, "batch", 16));
    declines("a fill along part of a symbolic axis", List.of(fill(HostTensor.ofFloats(new float[] {0f}), 2, "batch")),
        Attrs.of("starts", new long[] {0}, "ends", new long[] {1}, "axes", new long[] {1}));
    declines("a run-time input", List.of(runTime(t(F32, 4))), Attrs.of("starts", new long[] {0}, "ends", new long[] {1}));
  }
}
