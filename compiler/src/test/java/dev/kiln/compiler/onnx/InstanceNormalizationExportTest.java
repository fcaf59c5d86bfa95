package dev.kiln.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.spec.DType;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * InstanceNormalization's ONNX spellings at every exportable opset, in ONNX Runtime against a host reference: the
 * native node (f32); for f64 (ONNX Runtime's kernel is f32 only) the primitives whose ReduceMean takes its axes as an
 * attribute before opset 18 and as an input from 18; and the IR decomposition ({@code decomposeComposites}, what
 * autodiff differentiates), whose forward values no harness suite compares with the native node (the op has a TF
 * lowering of its own). The harness cases run at the default opset only.
 */
class InstanceNormalizationExportTest {
  private static final long[] X = {2, 3, 2, 3};
  private static final double EPS = 1e-3;

  @Test
  void everyFormAtEveryOpset() throws Exception {
    Random rnd = new Random(7);
    int n = 2 * 3 * 2 * 3;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian() * 3 + 1;
    double[] scale = {0.5, -1, 2};
    double[] bias = {0, 1, -2};
    double[] want = reference(x, scale, bias);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (int opset = ExportOptions.MIN_OPSET; opset <= ExportOptions.MAX_OPSET; opset++) {
      for (int form = 0; form < 4; form++) {
        DType dt = form % 2 == 0 ? DType.F32 : DType.F64;
        boolean decomposed = form >= 2;
        ModelProto m = OnnxExporter.export(graph(dt), ExportOptions.defaults().opset(opset).decomposeComposites(decomposed));
        long native_ = m.getGraph().getNodeList().stream().map(NodeProto::getOpType).filter("InstanceNormalization"::equals).count();
        String where = dt + (decomposed ? " decomposed" : "") + " @ opset " + opset;
        assertEquals(dt == DType.F32 && !decomposed ? 1 : 0, native_, where + ": native InstanceNormalization nodes");
        try (OrtSession s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor tx = tensor(env, dt, x, X);
             OnnxTensor ts = tensor(env, dt, scale, 3);
             OnnxTensor tb = tensor(env, dt, bias, 3);
             OrtSession.Result r = s.run(Map.of("x", tx, "scale", ts, "bias", tb))) {
          OnnxTensor y = (OnnxTensor) r.get(0);
          double tol = dt == DType.F32 ? 1e-5 : 1e-12;
          for (int i = 0; i < n; i++) {
            double got = dt == DType.F32 ? y.getFloatBuffer().get(i) : y.getDoubleBuffer().get(i);
            assertTrue(Math.abs(got - want[i]) <= tol * Math.max(1, Math.abs(want[i])), where + " element " + i + ": " + got + " vs " + want[i]);
          }
        }
      }
    }
  }

  private static dev.kiln.spec.ir.Graph graph(DType dt) {
    GraphBuilder b = new GraphBuilder("instancenorm_" + dt);
    Value x = b.input("x", TensorType.of(dt, X));
    Value scale = b.input("scale", TensorType.of(dt, 3));
    Value bias = b.input("bias", TensorType.of(dt, 3));
    b.output("y", Ops.instanceNormalization(b, x, scale, bias, EPS));
    return b.build();
  }

  /** Per (n, c): (x - mean) / sqrt(biased var + eps) * scale[c] + bias[c], in f64. */
  private static double[] reference(double[] x, double[] scale, double[] bias) {
    int spatial = (int) (X[2] * X[3]);
    double[] y = new double[x.length];
    for (int nc = 0; nc < X[0] * X[1]; nc++) {
      int c = (int) (nc % X[1]);
      double mean = 0;
      for (int i = 0; i < spatial; i++) mean += x[nc * spatial + i] / spatial;
      double var = 0;
      for (int i = 0; i < spatial; i++) var += Math.pow(x[nc * spatial + i] - mean, 2) / spatial;
      for (int i = 0; i < spatial; i++) y[nc * spatial + i] = (x[nc * spatial + i] - mean) / Math.sqrt(var + EPS) * scale[c] + bias[c];
    }
    return y;
  }

  private static OnnxTensor tensor(OrtEnvironment env, DType dt, double[] v, long... shape) throws Exception {
    if (dt == DType.F64) return OnnxTensor.createTensor(env, DoubleBuffer.wrap(v), shape);
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
  }
}
