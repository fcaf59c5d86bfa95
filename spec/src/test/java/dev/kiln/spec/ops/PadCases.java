package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class PadCases extends OpCases {
  private static long[] l(long... v) { return v; }

  @Override protected void define() {
    valid("2-d", List.of(t(F32, 2, 3)), Attrs.of("pads", l(1, 0, 2, 1)), t(F32, 5, 4));
    valid("4-d spatial only", List.of(t(F32, "batch", 2, 3, 3)), Attrs.of("pads", l(0, 0, 1, 2, 0, 0, 2, 1), "value", -1.5),
        t(F32, "batch", 2, 6, 6));
    valid("dynamic axis padded", List.of(t(F32, "n", 2)), Attrs.of("pads", l(1, 0, 0, 0)), t(F32, Dim.unknown(), 2));
    valid("integer", List.of(t(I64, 3)), Attrs.of("pads", l(2, 0)), t(I64, 5));
    invalid("pads length", List.of(t(F32, 2, 3)), Attrs.of("pads", l(1, 1)), "pads must have 2 x rank = 4 entries");
    invalid("negative pads", List.of(t(F32, 2, 3)), Attrs.of("pads", l(0, -1, 0, 0)), "pads must be >= 0");
    onnxData("test_constant_pad", new int[] {0}, (g, in, data) ->
        g.apply(theOp(), in, Attrs.of("pads", data.get(1).toLongs(), "value", data.get(2).getDouble(0))));
    // Hand-computed: [[1, 2]] padded by one row above and one 9 column on the right.
    numeric("rows and columns", List.of(HostTensor.ofFloats(new float[] {1, 2}, 1, 2)), op(Attrs.of("pads", l(1, 0, 0, 1), "value", 9.0)),
        List.of(HostTensor.ofFloats(new float[] {9, 9, 9, 1, 2, 9}, 2, 3)));
  }
}
