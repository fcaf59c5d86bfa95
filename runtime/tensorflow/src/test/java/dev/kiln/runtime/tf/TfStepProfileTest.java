package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The train step's reused feed tensors ({@link TfFeedTensors}) and its profile ({@link TfStepProfile}): every
 * step sees the values fed to it, not the previous step's (the bytes are overwritten in place), also when an
 * input's shape changes between steps (a smaller last batch); the profile, on, lists the kernels TF ran.
 */
class TfStepProfileTest {
  /** x [n, 3] (any n) times w [3, 2]; outputs: sum(x w), then x w; w ← w (no change). */
  private static TfTrainSession open() {
    GraphBuilder b = new GraphBuilder("profile_probe");
    Value x = b.input("x", new TensorType(DType.F32, Shape.of(Dim.symbolic("n"), Dim.of(3))));
    Value w = b.parameter("w", HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), true, "given");
    Value y = Ops.matMul(b, x, w);
    b.output("loss", Ops.reduceSum(b, y, new long[0], false));
    b.output("y", y);
    Graph g = b.build();
    GraphBuilder eb = new GraphBuilder("eval_probe");
    eb.output("w_read", Ops.identity(eb, eb.parameter("w", HostTensor.ofFloats(new float[6], 3, 2), true, "given")));
    return TfTrainSession.open(g, Map.of(), eb.build());
  }

  @Test
  void everyStepSeesItsOwnFeedsAlsoWhenTheShapeChanges() {
    try (TfTrainSession s = open()) {
      assertNull(s.profileReport(), "no profile unless " + TfStepProfile.PROPERTY + " is set");
      for (int k = 0; k < 6; k++) {
        int n = k == 3 ? 1 : 2;  // step 3 feeds one row, as a smaller last batch does
        float[] x = new float[n * 3];
        for (int i = 0; i < x.length; i++) x[i] = k * 10 + i;
        List<HostTensor> out = s.step(Map.of("x", HostTensor.ofFloats(x, n, 3)), Map.of(), List.of("y"));
        float[] expect = new float[n * 2];
        double sum = 0;
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) expect[r * 2 + c] += x[r * 3 + i] * (1 + i * 2 + c);
            sum += expect[r * 2 + c];
          }
        }
        assertEquals(sum, out.get(0).getDouble(0), 1e-3, "loss of step " + k);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expect, out.get(1).toFloats(), 1e-3f, "y of step " + k);
      }
    }
  }

  @Test
  void theProfileListsTheKernelsOfTracedSteps() {
    String old = System.getProperty(TfStepProfile.PROPERTY);
    System.setProperty(TfStepProfile.PROPERTY, "3");
    TfTrainSession s;
    try {
      s = open();
    } finally {
      if (old == null) System.clearProperty(TfStepProfile.PROPERTY);
      else System.setProperty(TfStepProfile.PROPERTY, old);
    }
    try (s) {
      HostTensor x = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      for (int k = 0; k < TfStepProfile.WARMUP + 6; k++) s.step(Map.of("x", x), Map.of(), List.of());
      String r = s.profileReport();
      assertTrue(r.startsWith("PROFILE kiln-tf "), "the side is named first: " + r);
      assertTrue(r.contains("3 traced (FULL_TRACE)"), r);
      assertTrue(r.contains("MatMul"), "the matmul kernel is listed: " + r);
      assertTrue(r.contains("host per step"), r);
      Matcher nodes = Pattern.compile("(\\d+) nodes run per step").matcher(r);
      assertTrue(nodes.find() && Integer.parseInt(nodes.group(1)) > 0, "the nodes a traced step ran are counted: " + r);
    }
  }
}
