package dev.kiln.samples.uncertainty;

import static dev.kiln.dsl.DTypes.F32;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Backend;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.McDropout;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Monte Carlo dropout on out-of-distribution inputs: an MLP with dropout learns Fashion-MNIST's classes 0-4
 * (T-shirt, trouser, pullover, dress, coat) only; its T-pass predictive entropy and mutual information are then
 * compared on held-out test images of those classes and of the unseen classes 5-9 (sandal, shirt, sneaker, bag,
 * ankle boot), on the training back end and, exported with dropout kept random, in ONNX Runtime. The AUROC says how
 * well each score separates unseen from seen classes (0.5: not at all).
 */
public final class McDropoutOodDemo {
  private McDropoutOodDemo() {}

  /** Classes below this are learnt; the others are out of distribution. */
  public static final int KNOWN = 5;

  /** Sizes of a run: training examples, epochs, test examples per side, Monte Carlo passes. */
  public record Options(Path data, int trainExamples, int epochs, int testExamples, int passes, Path output, long seed) {}

  /** Scores per side and back end. */
  public record Scores(double accuracy, double entropyKnown, double entropyUnseen, double miKnown, double miUnseen,
                       double entropyAuroc, double miAuroc) {}

  /** What a run measured on TensorFlow and in ONNX Runtime. */
  public record Result(Scores tf, Scores ort) {}

  /** 784-256-256-5 with dropout 0.5 after each hidden layer. */
  static Model model(long seed) {
    return Model.build("mc_mlp", seed, m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 784);
      Tensor<F32> h = x.linear("fc1", 256).relu().dropout(0.5);
      h = h.linear("fc2", 256).relu().dropout(0.5);
      return m.output("logits", h.linear("fc3", KNOWN));
    });
  }

  /** Trains on the known classes, scores both sides on both back ends, prints a report. */
  public static Result run(Options o, PrintStream out) throws IOException {
    FashionMnist data = FashionMnist.load(o.data(), false);
    Dataset train = byClass(data.train(), true, o.trainExamples(), o.seed());
    Dataset known = byClass(data.test(), true, o.testExamples(), o.seed());
    Dataset unseen = byClass(data.test(), false, o.testExamples(), o.seed());
    Model model = model(o.seed());
    try (Trainer trainer = Trainer.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8)).schedule(Schedules.constant(1e-3)).seed(o.seed()).progress(false).build()) {
      trainer.fit(train, null, o.epochs(), 128);
      Graph trained = withValues(model.graph(), trainer.variables());
      Graph mc = McDropout.graph(trained, "x", "logits", o.passes());
      Backend tf = trainer.backend();
      Scores tfScores = scores(known, unseen, x -> McDropout.run(tf, mc, "x", x, o.seed()));
      OnnxExporter.write(mc, ExportOptions.defaults().keepDropout(true), o.output());
      Scores ortScores;
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(o.output())) {
        ortScores = scores(known, unseen, x -> m.run(Map.of("x", x)));
      }
      out.printf(Locale.ROOT, "MC dropout (%d passes), MLP trained on Fashion-MNIST classes 0-%d (%d examples, %d epochs); %d test "
          + "images of seen and of unseen classes:%n", o.passes(), KNOWN - 1, train.size(), o.epochs(), o.testExamples());
      report(out, "TensorFlow", tfScores);
      report(out, "ONNX Runtime", ortScores);
      return new Result(tfScores, ortScores);
    }
  }

  private static void report(PrintStream out, String where, Scores s) {
    out.printf(Locale.ROOT, "  %-12s accuracy (seen) %.4f; predictive entropy seen %.3f, unseen %.3f (AUROC %.3f); "
        + "mutual information seen %.4f, unseen %.4f (AUROC %.3f)%n", where, s.accuracy(), s.entropyKnown(), s.entropyUnseen(),
        s.entropyAuroc(), s.miKnown(), s.miUnseen(), s.miAuroc());
  }

  private interface Scorer {
    Map<String, HostTensor> run(HostTensor x);
  }

  private static Scores scores(Dataset known, Dataset unseen, Scorer f) {
    double[][] k = score(known, f);
    double[][] u = score(unseen, f);
    return new Scores(k[2][0], mean(k[0]), mean(u[0]), mean(k[1]), mean(u[1]), auroc(k[0], u[0]), auroc(k[1], u[1]));
  }

  /** Entropy and mutual information per example, and the accuracy of the predictive mean (as row 2's one entry). */
  private static double[][] score(Dataset d, Scorer f) {
    int n = d.size();
    double[] h = new double[n];
    double[] mi = new double[n];
    int right = 0;
    long[] labels = d.labels().toLongs();
    for (int start = 0; start < n; start += 250) {
      int[] idx = new int[Math.min(250, n - start)];
      for (int i = 0; i < idx.length; i++) idx[i] = start + i;
      Map<String, HostTensor> r = f.run(d.subset(idx).features());
      double[] e = r.get(McDropout.ENTROPY).toDoubles();
      double[] m = r.get(McDropout.MUTUAL_INFORMATION).toDoubles();
      double[] p = r.get(McDropout.MEAN).toDoubles();
      for (int i = 0; i < idx.length; i++) {
        h[start + i] = e[i];
        mi[start + i] = m[i];
        int best = 0;
        for (int c = 1; c < KNOWN; c++) if (p[i * KNOWN + c] > p[i * KNOWN + best]) best = c;
        if (best == labels[start + i]) right++;
      }
    }
    return new double[][] {h, mi, {(double) right / n}};
  }

  /** P(score of an unseen example > score of a seen one), ties counting half: the area under the ROC curve. */
  static double auroc(double[] seen, double[] unseen) {
    double[] s = seen.clone();
    Arrays.sort(s);
    double wins = 0;
    for (double u : unseen) {
      int below = lowerBound(s, u);
      int notAbove = upperBound(s, u);
      wins += below + 0.5 * (notAbove - below);
    }
    return wins / ((double) seen.length * unseen.length);
  }

  private static int lowerBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private static int upperBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private static double mean(double[] v) { return Arrays.stream(v).average().orElse(Double.NaN); }

  /** Up to {@code limit} examples (seeded shuffle) whose class is below {@link #KNOWN} ({@code known}) or not. */
  static Dataset byClass(Dataset d, boolean known, int limit, long seed) {
    long[] labels = d.labels().toLongs();
    List<Integer> keep = new ArrayList<>();
    for (int i : Dataset.permutation(d.size(), seed)) if ((labels[i] < KNOWN) == known && keep.size() < limit) keep.add(i);
    return d.subset(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code g} with its parameters set to {@code values} by name (the trainer's variables). */
  static Graph withValues(Graph g, Map<String, HostTensor> values) {
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) ps.add(values.containsKey(p.name()) ? p.withInitial(values.get(p.name())) : p);
    return g.with(ps, g.nodes(), g.outputs());
  }

  /** {@code McDropoutOodDemo [train-examples] [epochs]}: the README's run (defaults: all 30,000 and 5 epochs). */
  public static void main(String[] args) throws IOException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30000;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    run(new Options(FashionMnist.DEFAULT_DIR, n, epochs, 5000, 50, Path.of("mc-dropout.onnx"), 1), System.out);
  }
}
