package dev.kiln.interop.transfer;

import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parameters that hold state rather than weights: batch norm's running statistics. They are never trained
 * (freezing or unfreezing leaves them alone): a gradient step on a running mean would fight the running update in a
 * training-form graph, and in an inference-form graph (an imported file) it would turn the statistics into weights.
 */
final class StateParameters {
  private StateParameters() {}

  /** The string attributes through which a training-form node names its state parameters. */
  static final List<String> STATE_ATTRIBUTES = List.of("running_mean", "running_var");

  /** Names of {@code g}'s state parameters: updated by a state update, named by a node, or a batch norm's mean/var input. */
  static Set<String> of(Graph g) {
    Set<String> s = new HashSet<>(TrainingForm.updates(g).keySet());
    s.addAll(namedInAttributes(g.nodes()));
    for (Node n : g.nodes()) {
      if (!n.opName().equals("BatchNormalization")) continue;
      for (int i = 3; i <= 4 && i < n.inputs().size(); i++) {
        Value v = n.input(i);
        if (v != null && v.kind() == Value.Kind.PARAMETER) s.add(v.name());
      }
    }
    return s;
  }

  /** The parameter names {@code nodes} give in their state attributes (empty strings are "none"). */
  static Set<String> namedInAttributes(Collection<Node> nodes) {
    Set<String> s = new HashSet<>();
    for (Node n : nodes) {
      for (String a : STATE_ATTRIBUTES) {
        if (!n.attrs().has(a)) continue;
        String name = n.attrs().getString(a);
        if (!name.isEmpty()) s.add(name);
      }
    }
    return s;
  }
}
