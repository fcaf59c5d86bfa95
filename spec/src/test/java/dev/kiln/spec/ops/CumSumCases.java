package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class CumSumCases extends OpCases {
  private static final HostTensor X = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

  @Override protected void define() {
    valid("default axis 0", List.of(t(F32, "batch", 4)), Attrs.EMPTY, t(F32, "batch", 4));
    valid("last axis, exclusive reverse", List.of(t(F64, 2, 5)), Attrs.of("axis", -1L, "exclusive", true, "reverse", true), t(F64, 2, 5));
    valid("int32", List.of(t(I32, 3, 2)), Attrs.of("axis", 1L), t(I32, 3, 2));
    invalid("axis out of range", List.of(t(F32, 2, 3)), Attrs.of("axis", 2L), "attribute axis 2 is out of range [-2, 1]");
    invalid("bool x", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    invalid("float axis input", List.of(t(F32, 2), t(F32)), Attrs.EMPTY, "input axis must be i32 or i64");
    invalid("axis input of 2 values", List.of(t(F32, 2), t(I64, 2)), Attrs.EMPTY, "input axis must be a scalar or have shape [1]");
    String[] names = {"1d", "1d_exclusive", "1d_reverse", "1d_reverse_exclusive", "2d_axis_0", "2d_axis_1", "2d_negative_axis"};
    for (String n : names) {
      Attrs a = Attrs.of("exclusive", n.contains("exclusive"), "reverse", n.contains("reverse"));
      onnxData("test_cumsum_" + n, op(a));  // axis fed at run time, as the data has it
    }
    // The same data with the axis read as an attribute, the form the DSL and constant axes import as.
    onnxData("test_cumsum_2d_negative_axis", new int[] {0}, (g, in, data) -> g.apply(theOp(), in, Attrs.of("axis", data.get(1).getLong(0))));
    onnxData("test_cumsum_1d_reverse_exclusive", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("axis", data.get(1).getLong(0), "exclusive", true, "reverse", true)));
    numeric("axis 1 exclusive reverse", List.of(X), op(Attrs.of("axis", 1L, "exclusive", true, "reverse", true)),
        List.of(HostTensor.ofFloats(new float[] {5, 3, 0, 11, 6, 0}, 2, 3)));
    numeric("axis 0 from an input", List.of(X, HostTensor.ofLongs(new long[] {0}, 1)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 5, 7, 9}, 2, 3)));
    numeric("int32, axis -1", List.of(HostTensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3)), op(Attrs.of("axis", -1L)),
        List.of(HostTensor.ofInts(new int[] {1, 3, 6, 4, 9, 15}, 2, 3)));
  }

  @Override public boolean smooth() { return true; }
}
