package dev.kiln.compiler.autodiff;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The nodes between the targets and the loss: those with an input that depends on a target (through
 * floating-point values) and an output that the loss depends on. Other nodes get no backward nodes.
 */
final class Path {
  private final Set<Value> active = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Node> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Node> ordered = new ArrayList<>();

  private Path() {}

  static Path between(Graph g, List<Value> targets, Value loss) {
    Path p = new Path();
    p.active.addAll(targets);
    for (Node n : g.nodes()) {
      boolean in = n.inputs().stream().anyMatch(v -> v != null && p.active.contains(v));
      // Integer and boolean results carry no gradient, so dependence stops there.
      if (in) for (Value o : n.outputs()) if (o.type().dtype().isFloating()) p.active.add(o);
    }
    Set<Value> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    needed.add(loss);
    List<Node> nodes = g.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (n.outputs().stream().noneMatch(needed::contains)) continue;
      for (Value v : n.inputs()) if (v != null) needed.add(v);
      if (n.inputs().stream().anyMatch(v -> v != null && p.active.contains(v))) {
        p.nodes.add(n);
        p.ordered.add(0, n);
      }
    }
    return p;
  }

  boolean contains(Node n) { return nodes.contains(n); }

  boolean dependsOnTarget(Value v) { return active.contains(v); }

  /** Fails listing every node on the path whose op declares no gradient rule. */
  void requireRules() {
    List<String> missing = new ArrayList<>();
    for (Node n : ordered) {
      if (n.op().vjp() == null) missing.add(n.opName() + " at node '" + n.output().name() + "' (" + n.location() + ")");
    }
    if (!missing.isEmpty()) {
      throw new KilnException("autodiff: no gradient rule (VJP) for " + missing.size()
          + (missing.size() == 1 ? " node" : " nodes") + " between the targets and the loss:\n  " + String.join("\n  ", missing));
    }
  }
}
