package dev.kiln.spec.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes and parameters that no output depends on. Inputs stay: they are the model's interface. In
 * {@code spec} (not the compiler) because {@link EvalMode} runs it.
 */
public final class DeadCodeElimination {
  private DeadCodeElimination() {}

  /** {@code g} without the nodes and parameters no output depends on. */
  public static Graph run(Graph g) {
    Set<Value> live = Collections.newSetFromMap(new IdentityHashMap<>());
    live.addAll(g.outputs());
    List<Node> kept = new ArrayList<>();
    List<Node> nodes = g.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (n.outputs().stream().anyMatch(live::contains)) {
        kept.add(n);
        for (Value in : n.inputs()) if (in != null) live.add(in);
      }
    }
    Collections.reverse(kept);
    List<Parameter> params = g.parameters().stream().filter(p -> live.contains(p.value())).toList();
    return g.with(params, kept, g.outputs());
  }
}
