package dev.kiln.samples.bench;

import dev.kiln.runtime.tf.OneDnn;
import dev.kiln.runtime.tf.TfStepProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The benchmark's reference line: the same train step written by hand against TF-Java's own API, the
 * way a TF-Java user would (channels-last data, {@code Conv2D}/{@code MaxPool} in NHWC, TF's symbolic
 * gradients, one fused {@code ResourceApplyAdam} per variable, one {@code Session.run} per step fetching
 * the loss). Kiln's compiled step should be no slower than this. Shapes, optimizer and batch as
 * {@link BenchModels}; the initial weights are small uniform noise (they do not change the speed).
 */
final class TfReference {
  private TfReference() {}

  /** What one model's graph needs at run time. */
  private record Built(Placeholder<TFloat32> x, Placeholder<TInt64> y, Placeholder<TFloat32> step,
      Operand<TFloat32> loss, List<Op> updates, List<Op> inits) {}

  /** Whether there is a hand-written step for {@code model}. */
  static boolean supports(String model) { return model.equals("mlp") || model.equals("lenet"); }

  /** One epoch of {@code n} synthetic examples (uniform pixels, random labels): {@link LegacyEpochBench}'s workload. */
  static void synthetic(String model, int n) {
    Random r = new Random(1);
    float[] x = new float[n * 784];
    long[] y = new long[n];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
    for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
    train(model, x, y, 1, new StepTimes());
  }

  /**
   * Trains {@code model} ({@code mlp} or {@code lenet}) for {@code epochs} epochs over the examples {@code x}
   * (784 pixels each, row-major: for LeNet-5's one channel NCHW and NHWC are the same bytes) and labels
   * {@code y}, in a new shuffled order each epoch, recording each step's end in {@code times}.
   */
  static void train(String model, float[] x, long[] y, int epochs, StepTimes times) {
    OneDnn.configure();  // before TF's natives load, as Kiln does
    int batch = BenchModels.BATCH;
    int n = y.length;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Built b = model.equals("lenet") ? lenet(tf) : mlp(tf);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        b.inits().forEach(init::addTarget);
        init.run().close();
        float[] bx = new float[batch * 784];
        long[] by = new long[batch];
        int steps = 0;
        // -Dkiln.tf.profile=N traces this step as Kiln's own is traced (kiln bench --profile): same phases, same table.
        TfStepProfile profile = TfStepProfile.fromProperty("tf-java", model + "_train");
        for (int epoch = 0; epoch < epochs; epoch++) {
          int[] perm = permutation(n, 2 + epoch);
          for (int from = 0; from < n; from += batch) {
            long start = profile == null ? 0 : System.nanoTime();
            boolean trace = profile != null && profile.traceNext();
            int size = Math.min(batch, n - from);
            for (int i = 0; i < size; i++) {
              int row = perm[from + i];
              System.arraycopy(x, row * 784, bx, i * 784, 784);
              by[i] = y[row];
            }
            Shape xs = model.equals("lenet") ? Shape.of(size, 28, 28, 1) : Shape.of(size, 784);
            steps++;
            try (TFloat32 xt = TFloat32.tensorOf(xs, DataBuffers.of(bx, true, false).slice(0, size * 784L));
                 TInt64 yt = TInt64.tensorOf(Shape.of(size), DataBuffers.of(by, true, false).slice(0, size));
                 TFloat32 st = TFloat32.scalarOf(steps)) {
              Session.Runner run = s.runner().feed(b.x(), xt).feed(b.y(), yt).feed(b.step(), st).fetch(b.loss());
              b.updates().forEach(run::addTarget);
              if (trace) run.setOptions(TfStepProfile.FULL_TRACE);
              long fed = profile == null ? 0 : System.nanoTime();
              try (Result res = trace ? run.runAndFetchMetadata() : run.run()) {
                long ran = profile == null ? 0 : System.nanoTime();
                ((TFloat32) res.get(0)).getFloat();
                if (profile != null) profile.record(start, fed, ran, System.nanoTime(), trace ? res.getMetadata().orElseThrow() : null);
              }
            }
            times.stepEnded();
          }
        }
        if (profile != null) System.err.print(profile.report());
      }
    }
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Parameters, their Adam slots and the ops that initialise them, collected while a model is built. */
  private static final class Params {
    final Ops tf;
    final SplittableRandom rng = new SplittableRandom(3);
    final List<Operand<?>> handles = new ArrayList<>();
    final List<Operand<TFloat32>> reads = new ArrayList<>();
    final List<Operand<?>[]> slots = new ArrayList<>();
    final List<Op> inits = new ArrayList<>();

    Params(Ops tf) { this.tf = tf; }

    /** A resource variable of {@code shape} initialised uniform in +-1/sqrt(fanIn), read once per step. */
    Operand<TFloat32> add(long fanIn, long... shape) {
      int size = (int) Arrays.stream(shape).reduce(1, (a, c) -> a * c);
      float[] v = new float[size];
      double bound = 1 / Math.sqrt(fanIn);
      for (int i = 0; i < size; i++) v[i] = (float) rng.nextDouble(-bound, bound);
      Shape s = Shape.of(shape);
      // NOTE: in a graph, VarHandleOps with an empty shared_name all name the same resource; name each.
      String name = "p" + handles.size();
      Operand<?> h = tf.varHandleOp(TFloat32.class, s, VarHandleOp.sharedName(name));
      Operand<?> m = tf.varHandleOp(TFloat32.class, s, VarHandleOp.sharedName(name + "/m"));
      Operand<?> vv = tf.varHandleOp(TFloat32.class, s, VarHandleOp.sharedName(name + "/v"));
      inits.add(tf.assignVariableOp(h, tf.constant(s, DataBuffers.of(v, true, false))));
      inits.add(tf.assignVariableOp(m, tf.zeros(tf.constant(shape), TFloat32.class)));
      inits.add(tf.assignVariableOp(vv, tf.zeros(tf.constant(shape), TFloat32.class)));
      handles.add(h);
      slots.add(new Operand<?>[] {m, vv});
      Operand<TFloat32> read = tf.readVariableOp(h, TFloat32.class);
      reads.add(read);
      return read;
    }
  }

  private static Operand<TFloat32> dense(Params p, Operand<TFloat32> x, long in, long out, boolean relu) {
    Operand<TFloat32> y = p.tf.nn.biasAdd(p.tf.linalg.matMul(x, p.add(in, in, out)), p.add(in, out));
    return relu ? p.tf.nn.relu(y) : y;
  }

  private static Operand<TFloat32> convReluPool(Params p, Operand<TFloat32> x, long in, long out, String padding) {
    Operand<TFloat32> c = p.tf.nn.conv2d(x, p.add(in * 25, 5, 5, in, out), List.of(1L, 1L, 1L, 1L), padding);
    Operand<TFloat32> a = p.tf.nn.relu(p.tf.nn.biasAdd(c, p.add(in * 25, out)));
    return p.tf.nn.maxPool(a, p.tf.constant(new int[] {1, 2, 2, 1}), p.tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  private static Built mlp(Ops tf) {
    Params p = new Params(tf);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 784)));
    Operand<TFloat32> h = dense(p, dense(p, x, 784, 256, true), 256, 256, true);
    return finish(tf, p, x, dense(p, h, 256, 10, false));
  }

  private static Built lenet(Ops tf) {
    Params p = new Params(tf);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
    Operand<TFloat32> h = convReluPool(p, x, 1, 6, "SAME");
    h = convReluPool(p, h, 6, 16, "VALID");
    h = tf.reshape(h, tf.constant(new long[] {-1, 400}));
    h = dense(p, dense(p, h, 400, 120, true), 120, 84, true);
    return finish(tf, p, x, dense(p, h, 84, 10, false));
  }

  /** Loss (mean sparse softmax cross-entropy), gradients and one ResourceApplyAdam per variable. */
  private static Built finish(Ops tf, Params p, Placeholder<TFloat32> x, Operand<TFloat32> logits) {
    Placeholder<TInt64> y = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(-1)));
    Placeholder<TFloat32> step = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> labels = tf.oneHot(y, tf.constant(10), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
    List<Operand<?>> xs = new ArrayList<>(p.reads);
    var grads = tf.gradients(loss, xs);
    Operand<TFloat32> b1 = tf.constant(0.9f);
    Operand<TFloat32> b2 = tf.constant(0.999f);
    Operand<TFloat32> b1p = tf.math.pow(b1, step);
    Operand<TFloat32> b2p = tf.math.pow(b2, step);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < p.handles.size(); i++) {
      Operand<TFloat32> gi = grads.<TFloat32>dy(i);
      updates.add(tf.train.resourceApplyAdam(p.handles.get(i), p.slots.get(i)[0], p.slots.get(i)[1], b1p, b2p,
          tf.constant(1e-3f), b1, b2, tf.constant(1e-8f), gi));
    }
    return new Built(x, y, step, loss, updates, p.inits);
  }
}
