package dev.kiln.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link FoldInputAffine} through the exporter: each graph exported folded (the default) and unfolded
 * ({@code foldInputAffine(false)}), both run in ONNX Runtime on real Fashion-MNIST test images; the outputs agree
 * within 1e-5 (relative to the outputs' largest magnitude, at least 1) and the node counts say whether the
 * {@code Sub}/{@code Div} pair went away: folded in front of a linear layer (per tensor, as the zoo's
 * {@code Standardize}, and per pixel) and of an unpadded convolution (per tensor and per channel); left in front
 * of a zero-padded convolution, where folding would be wrong at the border, and of a bias-less linear layer.
 */
class FoldInputAffineTest {
  private static final Path IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
  private static final int N = 64;
  private static final double MEAN = 0.2860;
  private static final double STD = 0.3530;

  @Test void standardizeInFrontOfALinearLayerFolds() throws Exception {
    Graph g = mlp(HostTensor.scalar(DType.F32, MEAN), HostTensor.scalar(DType.F32, STD), true);
    check(g, images(N), new long[] {N, 784}, true);
  }

  @Test void perPixelMeanAndScaleFold() throws Exception {
    float[] x = images(N);
    float[] mean = new float[784];
    float[] inv = new float[784];
    for (int p = 0; p < 784; p++) {
      double s = 0;
      for (int i = 0; i < N; i++) s += x[i * 784 + p];
      mean[p] = (float) (s / N);
      inv[p] = (float) (1 / (0.1 + p % 7 * 0.05));
    }
    Graph g = mlpMul(HostTensor.ofFloats(mean, 784), HostTensor.ofFloats(inv, 1, 784));
    check(g, x, new long[] {N, 784}, true);
  }

  @Test void aBiasLessLinearLayerWithAMeanIsLeft() throws Exception {
    Graph g = mlp(HostTensor.scalar(DType.F32, MEAN), HostTensor.scalar(DType.F32, STD), false);
    check(g, images(N), new long[] {N, 784}, false);
  }

  @Test void anUnpaddedConvolutionFoldsPerTensorAndPerChannel() throws Exception {
    check(conv(1, HostTensor.scalar(DType.F32, MEAN), HostTensor.scalar(DType.F32, STD), 0), images(N), new long[] {N, 1, 28, 28}, true);
    // Three channels: the images, their squares and their complements, each with a mean and scale of its own.
    float[] x = images(N);
    float[] three = new float[N * 3 * 784];
    for (int i = 0; i < N; i++) {
      for (int p = 0; p < 784; p++) {
        float v = x[i * 784 + p];
        three[(i * 3) * 784 + p] = v;
        three[(i * 3 + 1) * 784 + p] = v * v;
        three[(i * 3 + 2) * 784 + p] = 1 - v;
      }
    }
    HostTensor mean = HostTensor.ofFloats(new float[] {0.286f, 0.2f, 0.714f}, 3, 1, 1);
    HostTensor std = HostTensor.ofFloats(new float[] {0.353f, 0.3f, 0.353f}, 1, 3, 1, 1);
    check(conv(3, mean, std, 0), three, new long[] {N, 3, 28, 28}, true);
  }

  @Test void aZeroPaddedConvolutionIsLeft() throws Exception {
    check(conv(1, HostTensor.scalar(DType.F32, MEAN), HostTensor.scalar(DType.F32, STD), 2), images(N), new long[] {N, 1, 28, 28}, false);
  }

  /** Exports folded and unfolded, checks the node counts and that ONNX Runtime gives the same outputs for both. */
  private static void check(Graph g, float[] x, long[] shape, boolean folds) throws Exception {
    ModelProto folded = OnnxExporter.export(g);
    ModelProto plain = OnnxExporter.export(g, ExportOptions.defaults().foldInputAffine(false));
    List<String> plainOps = OnnxExporter.opTypes(plain);
    List<String> foldedOps = OnnxExporter.opTypes(folded);
    assertTrue(plainOps.contains("Sub") || plainOps.contains("Mul"), plainOps.toString());
    if (folds) {
      // The preprocessing's Constant, Sub and Div (or Mul) nodes are gone; the rest is as it was.
      assertEquals(plainOps.stream().filter(op -> !Set.of("Constant", "Sub", "Div", "Mul").contains(op)).toList(), foldedOps);
      assertEquals(plainOps.size() - 4, foldedOps.size(), "folded: " + foldedOps + " unfolded: " + plainOps);
    } else {
      assertEquals(plainOps, foldedOps);
    }
    float[] want = run(plain, x, shape);
    float[] got = run(folded, x, shape);
    double scale = 1;
    for (float v : want) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    System.out.printf("%s: %s -> %s, largest difference %.3g (outputs up to %.3g)%n", g.name(), plainOps, foldedOps, worst, scale);
    assertTrue(worst <= 1e-5 * scale, "largest difference " + worst + " (outputs up to " + scale + ")");
  }

  private static float[] run(ModelProto m, float[] x, long[] shape) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions());
         OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
         OrtSession.Result r = s.run(Map.of("image", t))) {
      FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    }
  }

  /** 784-32-10 with ReLU, {@code (image - mean) / std} in front, biases when {@code bias}. */
  private static Graph mlp(HostTensor mean, HostTensor std, boolean bias) {
    GraphBuilder b = new GraphBuilder("mlp");
    Value image = b.input("image", new TensorType(DType.F32, Shape.of(Dim.symbolic("batch"), Dim.of(784))));
    Value x = Ops.div(b, Ops.sub(b, image, Ops.constant(b, mean)), Ops.constant(b, std));
    tail(b, x, bias);
    return b.build();
  }

  /** As {@link #mlp} with {@code (image - mean) * inverse}. */
  private static Graph mlpMul(HostTensor mean, HostTensor inverse) {
    GraphBuilder b = new GraphBuilder("mlp");
    Value image = b.input("image", new TensorType(DType.F32, Shape.of(Dim.symbolic("batch"), Dim.of(784))));
    Value x = Ops.mul(b, Ops.sub(b, image, Ops.constant(b, mean)), Ops.constant(b, inverse));
    tail(b, x, true);
    return b.build();
  }

  private static void tail(GraphBuilder b, Value x, boolean bias) {
    Random r = new Random(3);
    Value h = Ops.matMul(b, x, b.parameter("fc1.weight", uniform(r, 0.05, 784, 32), true, "test"));
    if (bias) h = Ops.add(b, h, b.parameter("fc1.bias", uniform(r, 0.5, 32), true, "test"));
    h = Ops.relu(b, h);
    h = Ops.add(b, Ops.matMul(b, h, b.parameter("fc2.weight", uniform(r, 0.3, 32, 10), true, "test")),
        b.parameter("fc2.bias", uniform(r, 0.5, 10), true, "test"));
    b.output("logits", h);
  }

  /** conv 5x5 (padding {@code pad}) to 4 channels, ReLU, over {@code (image - mean) / std}. */
  private static Graph conv(int channels, HostTensor mean, HostTensor std, long pad) {
    GraphBuilder b = new GraphBuilder("conv");
    Value image = b.input("image", new TensorType(DType.F32, Shape.of(Dim.symbolic("batch"), Dim.of(channels), Dim.of(28), Dim.of(28))));
    Value x = Ops.div(b, Ops.sub(b, image, Ops.constant(b, mean)), Ops.constant(b, std));
    Random r = new Random(5);
    Value w = b.parameter("conv.weight", uniform(r, 0.2, 4, channels, 5, 5), true, "test");
    Value bias = b.parameter("conv.bias", uniform(r, 0.5, 4), true, "test");
    Value y = Ops.conv(b, x, w, bias, new long[] {1, 1}, new long[] {pad, pad, pad, pad}, new long[] {1, 1}, 1);
    b.output("y", Ops.relu(b, y));
    return b.build();
  }

  private static HostTensor uniform(Random r, double limit, long... shape) {
    float[] v = new float[(int) HostTensor.count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
    return HostTensor.ofFloats(v, shape);
  }

  /** The first {@code n} Fashion-MNIST test images, pixels scaled to [0, 1]. */
  static float[] images(int n) throws IOException {
    try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(IMAGES)))) {
      DataInputStream d = (DataInputStream) in;
      if (d.readInt() != 2051) throw new IOException(IMAGES + ": not an IDX image file");
      d.readInt();
      d.readInt();
      d.readInt();
      byte[] px = new byte[n * 784];
      d.readFully(px);
      float[] out = new float[px.length];
      for (int i = 0; i < px.length; i++) out[i] = (px[i] & 0xff) / 255f;
      return out;
    }
  }
}
