package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ShapeCases extends OpCases {
  @Override protected void define() {
    valid("static", List.of(t(F32, 2, 3, 4)), Attrs.EMPTY, t(I64, 3));
    valid("symbolic", List.of(t(F32, "batch", 7)), Attrs.EMPTY, t(I64, 2));
    valid("scalar", List.of(t(F32)), Attrs.EMPTY, t(I64, 0));
    invalid("two inputs", List.of(t(F32, 2), t(F32, 2)), Attrs.EMPTY, "takes 1 inputs");
    onnxData("test_shape", op(Attrs.EMPTY));
    onnxData("test_shape_example", op(Attrs.EMPTY));
    numeric("rank 3", List.of(HostTensor.ofFloats(new float[6], 1, 3, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {1, 3, 2}, 3)));
  }
}
