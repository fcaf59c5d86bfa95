package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class ClipCases extends OpCases {
  private static final int[] X = {0};

  @Override protected void define() {
    valid("both bounds", List.of(t(F32, "batch", 3)), Attrs.of("min", -1.0, "max", 1.0), t(F32, "batch", 3));
    valid("lower only", List.of(t(F32, 2, 3)), Attrs.of("min", 0.5), t(F32, 2, 3));
    valid("upper only", List.of(t(F32, 4)), Attrs.of("max", 0.25), t(F32, 4));
    valid("integer bounds", List.of(t(I32, 4)), Attrs.of("min", -3.0, "max", 3.0), t(I32, 4));
    invalid("min above max", List.of(t(F32, 2)), Attrs.of("min", 2.0, "max", 1.0), "min <= max expected, got min 2.0, max 1.0");
    invalid("fractional bound for integers", List.of(t(I32, 2)), Attrs.of("min", 0.5), "must be whole numbers, got 0.5");
    invalid("bool input", List.of(t(BOOL, 2)), Attrs.EMPTY, "must be numeric");
    // The bounds are inputs in ONNX's data; here they become attributes.
    for (String name : List.of("test_clip", "test_clip_example", "test_clip_inbounds", "test_clip_outbounds",
        "test_clip_splitbounds")) {
      onnxData(name, X, (g, in, d) -> g.apply(theOp(), in, Attrs.of("min", d.get(1).getDouble(0), "max", d.get(2).getDouble(0))));
    }
    onnxData("test_clip_default_min", X, (g, in, d) -> g.apply(theOp(), in, Attrs.of("min", d.get(1).getDouble(0))));
    onnxData("test_clip_default_max", X, (g, in, d) -> g.apply(theOp(), in, Attrs.of("max", d.get(1).getDouble(0))));
    onnxData("test_clip_default_inbounds", op(Attrs.EMPTY));
    onnxData("test_clip_default_int8_min", X, (g, in, d) -> g.apply(theOp(), in, Attrs.of("min", d.get(1).getDouble(0))));
    onnxData("test_clip_default_int8_max", X, (g, in, d) -> g.apply(theOp(), in, Attrs.of("max", d.get(1).getDouble(0))));
    numeric("bounds kept", List.of(HostTensor.ofFloats(new float[] {-2, -1, 0.5f, 1, 7}, 5)),
        op(Attrs.of("min", -1.0, "max", 1.0)), List.of(HostTensor.ofFloats(new float[] {-1, -1, 0.5f, 1, 1}, 5)));
    numeric("int32 upper only", List.of(HostTensor.ofInts(new int[] {-9, 4, 5}, 3)), op(Attrs.of("max", 4.0)),
        List.of(HostTensor.ofInts(new int[] {-9, 4, 4}, 3)));
  }
}
