package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.U8;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class NegCases extends OpCases {
  @Override protected void define() {
    valid("keeps type", List.of(t(F32, "batch", 3)), Attrs.EMPTY, t(F32, "batch", 3));
    valid("integers", List.of(t(I32, 2)), Attrs.EMPTY, t(I32, 2));
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    invalid("unsigned input", List.of(t(U8, 2)), Attrs.EMPTY, "float or signed integer");
    onnxData("test_neg", op(Attrs.EMPTY));
    onnxData("test_neg_example", op(Attrs.EMPTY));
    numeric("int32", List.of(HostTensor.ofInts(new int[] {-3, 0, 7}, 3)), op(Attrs.EMPTY),
        List.of(HostTensor.ofInts(new int[] {3, 0, -7}, 3)));
  }

  @Override public boolean smooth() { return true; }
}
