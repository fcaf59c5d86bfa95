package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DynamicPadCases extends OpCases {
  @Override protected void define() {
    Dim u = Dim.unknown();
    valid("constant with value", List.of(t(F32, 2, 3), t(I64, 4), t(F32)), Attrs.EMPTY, t(F32, u, u));
    valid("edge", List.of(t(F32, 2, 3), t(I64, 4)), Attrs.of("mode", "edge"), t(F32, u, u));
    invalid("pads length", List.of(t(F32, 2, 3), t(I64, 2)), Attrs.EMPTY, "needs 2 x rank = 4");
    invalid("mode", List.of(t(F32, 2), t(I64, 2)), Attrs.of("mode", "wrap"), "mode must be one of");
    onnxData("test_constant_pad", op(Attrs.of("mode", "constant")));
    onnxData("test_edge_pad", op(Attrs.of("mode", "edge")));
    onnxData("test_reflect_pad", op(Attrs.of("mode", "reflect")));
    HostTensor x = HostTensor.ofFloats(new float[] {1, 2, 3}, 3);
    HostTensor pads = HostTensor.ofLongs(new long[] {2, 1}, 2);
    numeric("edge by hand", List.of(x, pads), op(Attrs.of("mode", "edge")),
        List.of(HostTensor.ofFloats(new float[] {1, 1, 1, 2, 3, 3}, 6)));
    numeric("reflect by hand", List.of(x, pads), op(Attrs.of("mode", "reflect")),
        List.of(HostTensor.ofFloats(new float[] {3, 2, 1, 2, 3, 2}, 6)));
    numeric("constant 9 by hand", List.of(x, pads, HostTensor.ofFloats(new float[] {9})), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {9, 9, 1, 2, 3, 9}, 6)));
  }

  @Override public boolean randomInputsValid() { return false; }
}
