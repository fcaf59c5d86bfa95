package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ScatterNDCases extends OpCases {
  @Override protected void define() {
    // add (not none) so that repeated random indices give one defined result; axes of >= 16 keep them in range.
    valid("elements, add", List.of(t(F32, 16, 16), t(I64, 5, 2), t(F32, 5)), Attrs.of("reduction", "add"), t(F32, 16, 16));
    valid("rows, add", List.of(t(F32, 16, 3), t(I64, 4, 1), t(F32, 4, 3)), Attrs.of("reduction", "add"), t(F32, 16, 3));
    invalid("updates of the wrong shape", List.of(t(F32, 4, 3), t(I64, 2, 1), t(F32, 2, 4)), Attrs.EMPTY, "input updates must have shape");
    invalid("bad reduction", List.of(t(F32, 4), t(I64, 2, 1), t(F32, 2)), Attrs.of("reduction", "sub"), "attribute reduction must be one of");
    invalid("updates dtype", List.of(t(F32, 4), t(I64, 2, 1), t(I64, 2)), Attrs.EMPTY, "input updates has dtype i64");
    onnxData("test_scatternd", op(Attrs.EMPTY));
    onnxData("test_scatternd_add", op(Attrs.of("reduction", "add")));
    onnxData("test_scatternd_multiply", op(Attrs.of("reduction", "mul")));
    HostTensor d = HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 4);
    HostTensor i = HostTensor.ofLongs(new long[] {3, 0, 3}, 3, 1);
    HostTensor u = HostTensor.ofFloats(new float[] {10, 20, 30}, 3);
    numeric("add with a repeated index", List.of(d, i, u), op(Attrs.of("reduction", "add")),
        List.of(HostTensor.ofFloats(new float[] {21, 2, 3, 44}, 4)));
    numeric("replace rows", List.of(HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2), HostTensor.ofLongs(new long[] {1}, 1, 1),
        HostTensor.ofFloats(new float[] {7, 8}, 1, 2)), op(Attrs.EMPTY), List.of(HostTensor.ofFloats(new float[] {1, 2, 7, 8}, 2, 2)));
  }
}
