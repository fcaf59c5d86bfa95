package dev.kiln.samples;

import dev.kiln.dsl.Model;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Metric;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Transfer learning end to end: a small CNN pretrained by PyTorch on Fashion-MNIST classes 0..4 (fixture
 * {@code samples/programs/src/test/resources/fixtures/transfer/small_cnn.onnx}, made by {@code make_fixtures.py}
 * there) is imported, cut at its {@code features} value (784 conv features), given a new 10-class linear
 * head written in the DSL, the head trained with the base frozen, then every layer fine-tuned with a ten
 * times lower learning rate; the result is exported and checked in ONNX Runtime. A baseline trains the
 * same head on the same base with random (PyTorch-style) frozen weights.
 */
public final class TransferDemo {
  private TransferDemo() {}

  /** The fixture, relative to the repository root. */
  public static final Path DEFAULT_MODEL = Path.of("samples/programs/src/test/resources/fixtures/transfer/small_cnn.onnx");

  /** What one run measured. */
  public record Result(double headOnly, double fineTuned, double randomBaseline, double onnxRuntime,
                       double maxTfOrtDiff, List<String> withoutGradient) {}

  /** The pretrained base cut at "features" with a new 10-class head; the base frozen. */
  public static Model withNewHead(Graph base) {
    return Transfer.from(base).cutAt("features").head("fashion_transfer", (mb, f) -> mb.linear("head", f, 10));
  }

  /**
   * Runs the demo on the first {@code trainSize} training and {@code testSize} test images:
   * {@code headEpochs} epochs on the head, then {@code tuneEpochs} on all layers (batch 64, Adam).
   */
  public static Result run(Path model, Path dataDir, Path onnxOut, int trainSize, int testSize, int headEpochs,
                           int tuneEpochs, PrintStream out) {
    FashionMnist data = FashionMnist.load(dataDir, true);
    Dataset train = data.train().subset(range(trainSize));
    Dataset test = data.test().subset(range(testSize));
    Graph base = OnnxImporter.importFile(model, ImportOptions.defaults());
    out.printf("imported %s: %d nodes, %d parameters; training on %d images, testing on %d%n", model,
        base.nodes().size(), base.parameterCount(), train.size(), test.size());

    Model fresh = withNewHead(base);
    Model headTrained;
    double headAcc;
    try (Trainer t = trainer(fresh, 1e-3)) {
      t.fit(train, null, headEpochs, 64);
      headAcc = t.evaluate(test, 500).get("accuracy");
      headTrained = t.model();
      out.printf("head only (base frozen), %d steps: test accuracy %.4f%n", t.step(), headAcc);
    }
    Model all = Transfer.unfreeze(headTrained);
    List<String> missing = Transfer.withoutGradient(all.graph());
    out.println(missing.isEmpty() ? "every op between the parameters and the output has a gradient"
        : "ops without a gradient on the path: " + missing);
    double tunedAcc;
    double ortAcc;
    double diff;
    try (Trainer t = trainer(all, 1e-4)) {
      t.fit(train, null, tuneEpochs, 64);
      tunedAcc = t.evaluate(test, 500).get("accuracy");
      out.printf("fine-tuned (all layers, lr 1e-4), %d more steps: test accuracy %.4f%n", t.step(), tunedAcc);
      diff = t.exportAndVerify(onnxOut, test.subset(range(Math.min(256, testSize))));
      ortAcc = onnxAccuracy(onnxOut, test);
      out.printf("exported %s; ONNX Runtime test accuracy %.4f (max |TF - ORT| %.2e)%n", onnxOut, ortAcc, diff);
    }
    double randomAcc;
    try (Trainer t = trainer(withNewHead(randomized(base, 7)), 1e-3)) {
      t.fit(train, null, headEpochs, 64);
      randomAcc = t.evaluate(test, 500).get("accuracy");
      out.printf("baseline: same head on frozen random features: test accuracy %.4f (chance 0.10)%n", randomAcc);
    }
    return new Result(headAcc, tunedAcc, randomAcc, ortAcc, diff, missing);
  }

  private static Trainer trainer(Model m, double lr) {
    return Trainer.builder(m).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).learningRate(lr).seed(42)
        .metrics(Metric.accuracy()).build();
  }

  /**
   * {@code g} with every parameter redrawn uniformly from [-1/sqrt(fanIn), 1/sqrt(fanIn)] (PyTorch's
   * default for conv and linear layers; fanIn = the product of the dims after the first).
   */
  static Graph randomized(Graph g, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Parameter> ps = new ArrayList<>();
    List<Parameter> all = g.parameters();
    for (Parameter p : all) {
      long[] shape = p.initial().shape();
      long fanIn = 1;
      if (shape.length > 1) for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
      else fanIn = fanInOfBias(all, p, shape);
      double bound = 1 / Math.sqrt(fanIn);
      float[] v = new float[(int) p.initial().size()];
      for (int i = 0; i < v.length; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
      ps.add(p.withInitial(HostTensor.ofFloats(v, shape)));
    }
    return g.with(ps, g.nodes(), g.outputs());
  }

  /** A bias uses its layer's weight fan-in: the weight listed just before it. */
  private static long fanInOfBias(List<Parameter> all, Parameter bias, long[] shape) {
    int i = all.indexOf(bias);
    if (i > 0) {
      long[] w = all.get(i - 1).initial().shape();
      long f = 1;
      for (int k = 1; k < w.length; k++) f *= w[k];
      if (w.length > 1) return f;
    }
    return Math.max(1, shape.length == 0 ? 1 : shape[0]);
  }

  private static int[] range(int n) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    return idx;
  }

  /** Top-1 accuracy of the ONNX file in ONNX Runtime over {@code test}. */
  static double onnxAccuracy(Path onnx, Dataset test) {
    Metric acc = Metric.accuracy();
    acc.reset();
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(onnx)) {
      for (var b : test.batches(500, false, 0)) acc.update(m.run(Map.of("x", b.features())).get("output"), b.labels());
    }
    return acc.result();
  }

  /** {@code TransferDemo [model.onnx [data dir]]}: 12000 training images, 3 head epochs, 1 fine-tuning epoch. */
  public static void main(String[] args) {
    Path model = args.length > 0 ? Path.of(args[0]) : DEFAULT_MODEL;
    Path data = args.length > 1 ? Path.of(args[1]) : FashionMnist.DEFAULT_DIR;
    run(model, data, Path.of("fashion_transfer.onnx"), 12000, 10000, 2, 1, System.out);
  }
}
