package dev.kiln.compiler.passes;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The eval-mode rewrite: turns a training-form graph into its inference form over the same parameters.
 * Training-form BatchNormalization (one naming {@code running_mean}/{@code running_var}) reads those
 * parameters instead of the batch statistics; training-form Dropout becomes inference form (identity); state
 * updates are dropped, then the batch-statistic and update arithmetic they left dead, and the
 * {@value TrainingForm#STEP} input once nothing reads it. A graph without training-form parts is returned as is.
 */
public final class EvalMode {
  private EvalMode() {}

  public static Graph run(Graph g) {
    boolean training = g.outputs().stream().anyMatch(TrainingForm::isUpdate)
        || g.nodes().stream().anyMatch(EvalMode::isTrainingForm);
    if (!training) return g;
    List<Node> nodes = new ArrayList<>();
    for (Node n : g.nodes()) nodes.add(isTrainingForm(n) ? inferenceForm(g, n) : n);
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

  private static Value statistic(Graph g, Node n, String attr) {
    String name = n.attrs().getString(attr);
    Parameter p = g.parameter(name).orElseThrow(() -> new KilnException("BatchNormalization '" + n.output().name() + "' names "
        + attr + " '" + name + "', which is not a parameter of graph " + g.name()));
    if (!p.value().type().equals(n.input(3).type())) {
      throw new KilnException("parameter " + name + " is " + p.value().type() + ", BatchNormalization '" + n.output().name()
          + "' needs " + n.input(3).type());
    }
    return p.value();
  }
}
