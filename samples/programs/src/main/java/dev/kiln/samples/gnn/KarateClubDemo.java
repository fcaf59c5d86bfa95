package dev.kiln.samples.gnn;

import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.I64;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.GatConv;
import dev.kiln.dsl.layers.GcnConv;
import dev.kiln.dsl.layers.SageConv;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.Trainer;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Semi-supervised node classification on Zachary's karate club: a two-layer graph network (GCN, GraphSAGE or GAT)
 * over one-hot node features learns the split from the labels of {@link #LABELLED} members only (two of each club)
 * and is scored on the other 30. Training runs on the training back end (full batch: the labelled node ids are the
 * examples, the graph is a constant of the training model); the trained weights then go into a model whose node
 * features and edge index are inputs ([nodes, 34], [2, edges], both symbolic), which is exported to ONNX and run in
 * ONNX Runtime against the back end, on the club and on a smaller graph.
 */
public final class KarateClubDemo {
  private KarateClubDemo() {}

  /** The members whose club the model is told: the instructor (0), the administrator (33) and one friend of each. */
  public static final long[] LABELLED = {0, 1, 32, 33};

  /** What a run measured: accuracy on the unlabelled members on both back ends and their largest difference. */
  public record Result(String layer, double tfAccuracy, double ortAccuracy, double maxAbsDiff, double finalLoss) {}

  /** Hidden features, epochs and Adam's learning rate. */
  static final int HIDDEN = 16;
  static final int EPOCHS = 100;
  static final double LR = 0.01;

  /** Logits [nodes, 2] of the layer kind {@code gcn}, {@code sage} or {@code gat} over features x and edges. */
  static Tensor<F32> logits(String layer, Tensor<F32> x, Tensor<I64> edges) {
    return switch (layer) {
      case "gcn" -> GcnConv.of(2).apply("conv2", GcnConv.of(HIDDEN).apply("conv1", x, edges).relu(), edges);
      case "sage" -> SageConv.of(2).apply("conv2", SageConv.of(HIDDEN).apply("conv1", x, edges).relu(), edges);
      case "gat" -> GatConv.of(2, 1).apply("conv2", GatConv.of(HIDDEN / 4, 4).apply("conv1", x, edges).elu(), edges);
      default -> throw new KilnException("unknown graph layer '" + layer + "': use gcn, sage or gat");
    };
  }

  /** The model that trains: input {@code node} (ids [batch]), the club as constants, output {@code logits} [batch, 2]. */
  static Model trainingModel(String layer, KarateClub club, long seed) {
    return Model.build("karate_" + layer + "_train", seed, m -> {
      Tensor<I64> node = m.input("node", I64, "batch");
      Tensor<F32> x = m.constant(identity(club.nodes()));
      Tensor<I64> edges = m.constant(club.edgeIndex());
      return m.output("logits", logits(layer, x, edges).gather(node, 0));
    });
  }

  /** The deployable model: inputs {@code x} [nodes, 34] and {@code edges} [2, edges], output {@code logits} [nodes, 2]. */
  static Model graphModel(String layer, int features, long seed) {
    return Model.build("karate_" + layer, seed, m -> {
      Tensor<F32> x = m.input("x", F32, "nodes", features);
      Tensor<I64> edges = m.input("edges", I64, 2, "edges");
      return m.output("logits", logits(layer, x, edges));
    });
  }

  /** {@code KarateClubDemo [gcn|sage|gat] [out.onnx]}: trains, scores and exports one model. */
  public static void main(String[] args) throws java.io.IOException {
    String layer = args.length > 0 ? args[0] : "gcn";
    run(layer, Path.of(args.length > 1 ? args[1] : "karate-" + layer + ".onnx"), 1, System.out);
  }

  /** Trains, scores and exports; the ONNX file goes to {@code output}. */
  public static Result run(String layer, Path output, long seed, PrintStream out) throws java.io.IOException {
    KarateClub club = KarateClub.load();
    long[] labels = club.labels().toLongs();
    long[] known = new long[LABELLED.length];
    for (int i = 0; i < known.length; i++) known[i] = labels[(int) LABELLED[i]];
    Dataset train = Dataset.of(Map.of("node", HostTensor.ofLongs(LABELLED, LABELLED.length)), HostTensor.ofLongs(known, known.length));
    try (Trainer trainer = Trainer.builder(trainingModel(layer, club, seed))
        .loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits")
        .optimizer(Optimizers.adam(0.9, 0.999, 1e-8, 5e-4)).schedule(Schedules.constant(LR)).seed(seed)
        .progress(false).build()) {
      var history = trainer.fit(train, null, EPOCHS, LABELLED.length);
      double[] losses = history.column("loss");
      double loss = losses[losses.length - 1];
      Graph trained = withTrained(graphModel(layer, club.nodes(), seed).graph(), trainer.model().graph());
      Map<String, HostTensor> feed = Map.of("x", identity(club.nodes()), "edges", club.edgeIndex());
      HostTensor tf = trainer.backend().run(trained, feed).get("logits");
      OnnxExporter.write(trained, output);
      double diff;
      double ortAcc;
      try (OnnxRuntimeModel m = OnnxRuntimeModel.load(output)) {
        HostTensor ort = m.run(feed).get("logits");
        ortAcc = accuracy(ort, labels);
        diff = maxAbsDiff(tf, ort);
        Map<String, HostTensor> small = smallerGraph(club);
        diff = Math.max(diff, maxAbsDiff(trainer.backend().run(trained, small).get("logits"), m.run(small).get("logits")));
      }
      double tfAcc = accuracy(tf, labels);
      out.printf(Locale.ROOT, "karate club, %s: trained on %d labelled members for %d epochs (final loss %.4f); accuracy on the other "
          + "%d: TensorFlow %.4f, ONNX Runtime %.4f; max |TF - ORT| %.2e (%s)%n", layer, LABELLED.length, EPOCHS, loss,
          labels.length - LABELLED.length, tfAcc, ortAcc, diff, output);
      return new Result(layer, tfAcc, ortAcc, diff, loss);
    }
  }

  /** {@code g} with every parameter set to the trained value of the same name. */
  static Graph withTrained(Graph g, Graph trained) {
    Map<String, HostTensor> values = new java.util.HashMap<>();
    for (Parameter p : trained.parameters()) values.put(p.name(), p.initial());
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) {
      HostTensor v = values.get(p.name());
      if (v == null) throw new KilnException("no trained value for parameter " + p.name());
      ps.add(p.withInitial(v));
    }
    return g.with(ps, g.nodes(), g.outputs());
  }

  /** Members 0..19 and the friendships among them: a second graph through the same exported model. */
  static Map<String, HostTensor> smallerGraph(KarateClub club) {
    int n = 20;
    long[] e = club.edgeIndex().toLongs();
    int count = e.length / 2;
    List<long[]> kept = new ArrayList<>();
    for (int i = 0; i < count; i++) if (e[i] < n && e[count + i] < n) kept.add(new long[] {e[i], e[count + i]});
    long[] index = new long[2 * kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      index[i] = kept.get(i)[0];
      index[kept.size() + i] = kept.get(i)[1];
    }
    float[] x = new float[n * club.nodes()];
    for (int i = 0; i < n; i++) x[i * club.nodes() + i] = 1;
    return Map.of("x", HostTensor.ofFloats(x, n, club.nodes()), "edges", HostTensor.ofLongs(index, 2, kept.size()));
  }

  /** One-hot node features: the n x n identity. */
  static HostTensor identity(int n) {
    float[] v = new float[n * n];
    for (int i = 0; i < n; i++) v[i * n + i] = 1;
    return HostTensor.ofFloats(v, n, n);
  }

  /** Accuracy of argmax(logits) on the members not in {@link #LABELLED}. */
  static double accuracy(HostTensor logits, long[] labels) {
    int right = 0;
    int total = 0;
    for (int i = 0; i < labels.length; i++) {
      final int node = i;
      if (java.util.Arrays.stream(LABELLED).anyMatch(l -> l == node)) continue;
      int guess = logits.getDouble(2 * i + 1) > logits.getDouble(2 * i) ? 1 : 0;
      if (guess == labels[i]) right++;
      total++;
    }
    return (double) right / total;
  }

  static double maxAbsDiff(HostTensor a, HostTensor b) {
    double d = 0;
    for (int i = 0; i < a.size(); i++) d = Math.max(d, Math.abs(a.getDouble(i) - b.getDouble(i)));
    return d;
  }
}
