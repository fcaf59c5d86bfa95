package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class LayerNormalizationCases extends OpCases {
  @Override protected void define() {
    valid("last axis", List.of(t(F32, "batch", 5, 8), t(F32, 8), t(F32, 8)), Attrs.EMPTY, t(F32, "batch", 5, 8));
    valid("two axes, no bias", List.of(t(F64, 2, 3, 4), t(F64, 3, 4)), Attrs.of("axis", 1L), t(F64, 2, 3, 4));
    valid("broadcast scale", List.of(t(F64, 2, 3, 4), t(F64, 1, 4), t(F64, 4)), Attrs.of("axis", -2L, "epsilon", 1e-3), t(F64, 2, 3, 4));
    valid("with statistics", List.of(t(F32, "batch", 3, 4), t(F32, 4), t(F32, 4)), Attrs.of("stats", true),
        t(F32, "batch", 3, 4), t(F32, "batch", 3, 1), t(F32, "batch", 3, 1));
    invalid("scale not the normalised dims", List.of(t(F32, 2, 3, 4), t(F32, 3)), Attrs.EMPTY, "input scale f32[3] must broadcast");
    invalid("scale of higher rank", List.of(t(F32, 2, 4), t(F32, 1, 2, 4)), Attrs.EMPTY, "must broadcast to the normalised dims");
    invalid("dtype mix", List.of(t(F32, 2, 3), t(F64, 3)), Attrs.EMPTY, "input scale must be f32 like x");
    invalid("integer x", List.of(t(I32, 2, 3), t(I32, 3)), Attrs.EMPTY, "floating-point");
    invalid("axis out of range", List.of(t(F32, 2, 3), t(F32, 3)), Attrs.of("axis", 2L), "axis 2 is out of range");
    invalid("stash type", List.of(t(F32, 2, 3), t(F32, 3)), Attrs.of("stash_type", 11L), "stash_type must be 1");
    String[] names = {"2d_axis0", "2d_axis1", "2d_axis_negative_1", "2d_axis_negative_2", "4d_axis0", "4d_axis1", "4d_axis2",
        "4d_axis3", "4d_axis_negative_1", "4d_axis_negative_2", "4d_axis_negative_3", "4d_axis_negative_4"};
    for (String n : names) onnxData("test_layer_normalization_" + n, op(Attrs.of("axis", axisOf(n), "stats", true)));
    for (String n : new String[] {"3d_axis0", "3d_axis1", "3d_axis2", "3d_axis_negative_1", "3d_axis_negative_2", "3d_axis_negative_3"}) {
      onnxData("test_layer_normalization_" + n + "_epsilon", op(Attrs.of("axis", axisOf(n), "epsilon", (double) 0.1f, "stats", true)));
    }
    onnxData("test_layer_normalization_default_axis", op(Attrs.of("stats", true)));
    // Row [1, 3]: mean 2, variance 1, so xhat = [-1, 1]; scale [2, 1], bias [0, 10]: y = [-2, 11].
    // Row [5, 5]: variance 0, xhat = [0, 0], y = bias. Epsilon 0 for exact values (the row [5, 5] then divides 0 by 0),
    // so it is 1e-12 instead: xhat = 0 / 1e-6 = 0.
    numeric("hand values", List.of(HostTensor.ofFloats(new float[] {1, 3, 5, 5}, 2, 2), HostTensor.ofFloats(new float[] {2, 1}, 2),
            HostTensor.ofFloats(new float[] {0, 10}, 2)), op(Attrs.of("epsilon", 1e-12)),
        List.of(HostTensor.ofFloats(new float[] {-2, 11, 0, 10}, 2, 2)));
  }

  private static long axisOf(String name) {
    String a = name.substring(name.indexOf("axis") + 4);
    return a.startsWith("_negative_") ? -Long.parseLong(a.substring(10)) : Long.parseLong(a);
  }

  @Override public boolean smooth() { return true; }
}
