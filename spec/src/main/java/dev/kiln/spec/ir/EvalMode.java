package dev.kiln.spec.ir;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The eval-mode rewrite: turns a training-form graph into its inference form over the same parameters.
 * Training-form BatchNormalization (one naming {@code running_mean}/{@code running_var}) reads those
 * parameters instead of the batch statistics; training-form Dropout becomes inference form (identity); state
 * updates are dropped, then the batch-statistic and update arithmetic they left dead, and the
 * {@value TrainingForm#STEP} input once nothing reads it. A graph without training-form parts is returned as is.
 *
 * <p>It lives beside {@link TrainingForm}, whose convention it undoes, rather than with the compiler's passes: the
 * DSL's {@code Model.evalGraph()} needs it, and the DSL does not depend on the compiler.
 */
public final class EvalMode {
  private EvalMode() {}

  /** The inference form of {@code g} over the same parameters; {@code g} itself when it has no training form. */
  public static Graph run(Graph g) { return run(g, false); }

  /**
   * The inference form, but with training-form Dropout kept when {@code keepDropout} (Monte Carlo dropout: batch
   * norm reads its running statistics, state updates go, the masks stay random).
   */
  public static Graph run(Graph g, boolean keepDropout) {
    java.util.function.Predicate<Node> rewrite = n -> isTrainingForm(n) && !(keepDropout && n.opName().equals("Dropout"));
    boolean training = g.outputs().stream().anyMatch(TrainingForm::isUpdate) || g.nodes().stream().anyMatch(rewrite);
    if (!training) return g;
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) {
      if (!rewrite.test(n)) nodes.add(n);
      else if (n.opName().equals("BatchNormTraining")) nodes.addAll(inferenceBatchNorm(g, n));
      else nodes.add(inferenceForm(g, n));
    }
    List<Value> outputs = g.outputs().stream().filter(v -> !TrainingForm.isUpdate(v)).toList();
    Graph out = DeadCodeElimination.run(new Graph(g.name(), g.inputs(), g.parameters(), nodes, outputs, g.metadata()));
    boolean stepRead = out.nodes().stream().anyMatch(n -> n.inputs().stream().anyMatch(v -> v != null && v.name().equals(TrainingForm.STEP)))
        || out.outputs().stream().anyMatch(v -> v.name().equals(TrainingForm.STEP));
    if (stepRead) return out;
    List<Value> inputs = out.inputs().stream().filter(v -> !v.name().equals(TrainingForm.STEP)).toList();
    return new Graph(out.name(), inputs, out.parameters(), out.nodes(), out.outputs(), out.metadata());
  }

  /** Whether {@code n} is a node the rewrite changes. */
  static boolean isTrainingForm(Node n) {
    return switch (n.opName()) {
      case "BatchNormalization" -> !n.attrs().getString("running_mean").isEmpty();
      case "BatchNormTraining" -> true;
      case "Dropout" -> n.attrs().getBool("training");
      default -> false;
    };
  }

  private static Node inferenceForm(Graph g, Node n) {
    if (n.opName().equals("Dropout")) {
      return new Node(n.op(), List.of(n.input(0)), n.attrs().with("training", false), n.outputs(), n.scope(), n.location());
    }
    List<Value> in = new ArrayList<>(n.inputs());
    in.set(3, statistic(g, n, "running_mean"));
    in.set(4, statistic(g, n, "running_var"));
    Attrs a = n.attrs().with("running_mean", "").with("running_var", "");
    return new Node(n.op(), in, a, n.outputs(), n.scope(), n.location());
  }

  /**
   * BatchNormTraining in inference form: BatchNormalization over the running statistics for y; the
   * batch-statistic outputs become those running statistics (read only by the state updates, which
   * are dropped, so dead code elimination removes them).
   */
  private static List<Node> inferenceBatchNorm(Graph g, Node n) {
    Value mean = statistic(g, n, "running_mean", n.outputs().get(1).type());
    Value var = statistic(g, n, "running_var", n.outputs().get(2).type());
    Attrs eps = Attrs.of("epsilon", n.attrs().getDouble("epsilon"), "running_mean", "", "running_var", "");
    Op identity = OpRegistry.get(dev.kiln.spec.ops.Identity.class);
    return List.of(
        new Node(OpRegistry.get(dev.kiln.spec.ops.BatchNormalization.class), List.of(n.input(0), n.input(1), n.input(2), mean, var), eps,
            List.of(n.output()), n.scope(), n.location()),
        new Node(identity, List.of(mean), Attrs.EMPTY, List.of(n.outputs().get(1)), n.scope(), n.location()),
        new Node(identity, List.of(var), Attrs.EMPTY, List.of(n.outputs().get(2)), n.scope(), n.location()));
  }

  private static Value statistic(Graph g, Node n, String attr) { return statistic(g, n, attr, n.input(3).type()); }

  private static Value statistic(Graph g, Node n, String attr, dev.kiln.spec.TensorType want) {
    String name = n.attrs().getString(attr);
    Parameter p = g.parameter(name).orElseThrow(() -> new KilnException(n.opName() + " '" + n.output().name() + "' names "
        + attr + " '" + name + "', which is not a parameter of graph " + g.name()));
    if (!p.value().type().equals(want)) {
      throw new KilnException("parameter " + name + " is " + p.value().type() + ", " + n.opName() + " '" + n.output().name()
          + "' needs " + want);
    }
    return p.value();
  }
}
