package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class NonZeroCases extends OpCases {
  @Override protected void define() {
    valid("matrix", List.of(t(F32, 2, 3)), Attrs.EMPTY, new TensorType(I64, Shape.of(Dim.of(2), Dim.unknown())));
    valid("bool vector of a symbolic length", List.of(t(BOOL, "n")), Attrs.EMPTY, new TensorType(I64, Shape.of(Dim.of(1), Dim.unknown())));
    invalid("scalar", List.of(t(F32)), Attrs.EMPTY, "input x must have rank >= 1");
    onnxData("test_nonzero_example", op(Attrs.EMPTY));
    numeric("three of six, row-major", List.of(HostTensor.ofFloats(new float[] {0, 2, 0, -1, 0, 5}, 2, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofLongs(new long[] {0, 1, 1, 1, 0, 2}, 2, 3)));
  }
}
