package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ConstantCases extends OpCases {
  @Override protected void define() {
    HostTensor v = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    valid("value's type", List.of(), Attrs.of("value", v), t(F32, 2, 3));
    // A constant plus a graph input, so the exported model has an input to feed.
    numeric("constant added", List.of(HostTensor.ofFloats(new float[] {10, 20, 30}, 3)),
        (g, in) -> List.of(Ops.add(g, in.get(0), Ops.constant(g, v))),
        List.of(HostTensor.ofFloats(new float[] {11, 22, 33, 14, 25, 36}, 2, 3)));
  }
}
