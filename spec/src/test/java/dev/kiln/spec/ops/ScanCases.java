package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.util.List;

class ScanCases extends OpCases {
  /** A running sum: (sum, x_t) -> (sum + x_t, sum + x_t). */
  static Graph sumBody(TensorType state) {
    return IfCases.branch("scan_body", List.of(state, state), (g, in) -> {
      Value s = Ops.add(g, in.get(0), in.get(1));
      return List.of(s, Ops.identity(g, s));
    });
  }

  @Override public boolean smooth() { return true; }

  @Override protected void define() {
    // f64 cases: the gradient check rebuilds valid cases in f64, and a body's types are fixed.
    Attrs sum = Attrs.of("body", sumBody(t(F64, 2)), "num_scan_inputs", 1L);
    valid("running sum", List.of(t(F64, 2), t(F64, 3, 2)), sum, t(F64, 2), t(F64, 3, 2));
    Graph mulBody = IfCases.branch("scan_body", List.of(t(F64, 2), t(F64, 2), t(F64, 2)), (g, in) -> {
      Value s = Ops.add(g, in.get(0), Ops.mul(g, in.get(1), in.get(2)));
      return List.of(s, Ops.tanh(g, s));
    });
    Attrs reversed = Attrs.of("body", mulBody, "num_scan_inputs", 1L, "captures", 1L,
        "scan_input_axes", new long[] {1}, "scan_input_directions", new long[] {1}, "scan_output_axes", new long[] {-1});
    valid("axis 1 reversed, captured weight, output last axis", List.of(t(F64, 2), t(F64, 2, 4), t(F64, 2)), reversed,
        t(F64, 2), t(F64, 2, 4));
    invalid("scan inputs of different lengths", List.of(t(F64, 2), t(F64, 3, 2), t(F64, 4, 2)),
        Attrs.of("body", IfCases.branch("b", List.of(t(F64, 2), t(F64, 2), t(F64, 2)), (g, in) -> List.of(in.get(0))),
            "num_scan_inputs", 2L), "scan input 1 has length 4 on axis 0, an earlier one 3");
    invalid("state changes type", List.of(t(F64, 2), t(F64, 3, 3)),
        Attrs.of("body", IfCases.branch("b", List.of(t(F64, 2), t(F64, 3)), (g, in) -> List.of(in.get(1))), "num_scan_inputs", 1L),
        "state 0 is f64[2] initially and f64[3] after the body");
    invalid("too many scan inputs", List.of(t(F64, 2)), Attrs.of("body", sumBody(t(F64, 2)), "num_scan_inputs", 2L),
        "num_scan_inputs = 2 and captures = 0 do not fit 1 inputs");
    onnxData("test_scan9_sum", op(Attrs.of("body", sumBody(t(F32, 2)), "num_scan_inputs", 1L)));
    numeric("reversed with a captured weight", List.of(HostTensor.ofDoubles(new double[] {0, 0}, 2),
            HostTensor.ofDoubles(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4), HostTensor.ofDoubles(new double[] {1, 0.5}, 2)),
        op(reversed), expectedReversed());
  }

  /** Computed step by step: rows scanned from the last column, s += w * x_t, outputs tanh(s) stacked on the last axis. */
  private static List<HostTensor> expectedReversed() {
    double[][] x = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    double[] w = {1, 0.5};
    double[] s = {0, 0};
    double[] ys = new double[8];
    for (int t = 0; t < 4; t++) {
      int col = 3 - t;
      for (int r = 0; r < 2; r++) {
        s[r] += w[r] * x[r][col];
        ys[r * 4 + t] = Math.tanh(s[r]);
      }
    }
    return List.of(HostTensor.ofDoubles(s.clone(), 2), HostTensor.ofDoubles(ys, 2, 4));
  }
}
