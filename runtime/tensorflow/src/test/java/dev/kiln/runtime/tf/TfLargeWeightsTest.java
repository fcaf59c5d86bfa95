package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Weights reach TensorFlow as fed variables, not as constants in the GraphDef (issue 18: a 515 MB VGG-11 took minutes
 * when its weights were {@code Const}s): the lowered graph of a model with 24 MB of weights stays a few KB, and the
 * model still computes what a plain host loop computes from the same weights, int8 weights included (they cross
 * the boundary as uint8 and are bitcast back).
 */
class TfLargeWeightsTest {
  private static final int IN = 1024;
  private static final int OUT = 6144;  // w: 1024 x 6144 floats = 24 MiB

  @Test
  void weightsAreFedIntoVariablesNotWrittenIntoTheGraphDef() {
    Random rnd = new Random(18);
    float[] w = new float[IN * OUT];
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
    float[] bias = new float[OUT];
    for (int i = 0; i < OUT; i++) bias[i] = (float) rnd.nextGaussian();
    byte[] shift = new byte[OUT];
    for (int i = 0; i < OUT; i++) shift[i] = (byte) (rnd.nextInt(256) - 128);
    float[] x = new float[IN];
    for (int i = 0; i < IN; i++) x[i] = (float) rnd.nextGaussian();

    GraphBuilder b = new GraphBuilder("large_weights");
    Value in = b.input("x", TensorType.of(DType.F32, 1, IN));
    Value wv = b.parameter("w", HostTensor.ofFloats(w, IN, OUT), false, "given");
    Value bv = b.parameter("b", HostTensor.ofFloats(bias, OUT), false, "given");
    Value sv = b.parameter("s", HostTensor.ofBytes(DType.I8, new long[] {OUT}, shift), false, "given");
    b.output("y", Ops.add(b, Ops.add(b, Ops.matMul(b, in, wv), bv), Ops.cast(b, sv, DType.F32)));
    Graph g = b.build();

    try (TfModel m = TfModel.load(g)) {
      long graphDefBytes = m.lowered().graph().toGraphDef().getSerializedSize();
      assertTrue(graphDefBytes < 64 * 1024, "the GraphDef holds " + graphDefBytes + " bytes: weights went into it");
      float[] y = m.run(Map.of("x", HostTensor.ofFloats(x, 1, IN))).get("y").toFloats();
      assertEquals(OUT, y.length);
      for (int j = 0; j < OUT; j++) {
        double want = bias[j] + shift[j];
        double scale = Math.abs(bias[j]) + Math.abs(shift[j]);
        for (int i = 0; i < IN; i++) {
          want += (double) x[i] * w[i * OUT + j];
          scale += Math.abs((double) x[i] * w[i * OUT + j]);
        }
        assertEquals(want, y[j], 1e-5 * scale + 1e-6, "y[" + j + "]");
      }
    }
  }
}
