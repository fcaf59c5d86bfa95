package dev.kiln.compiler.passes;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Replaces composite nodes by their {@link dev.kiln.spec.op.Decomposition}: all of them (autodiff), or
 * those a back end has no native form for. Inputs, parameters and the composite's output names are kept
 * (each expanded output is renamed back through an {@code Identity}), so feeds, fetches and parameter
 * bindings by name work on the expanded graph. Decompositions that produce composites are expanded in
 * turn, until none that {@code which} selects remains.
 */
public final class ExpandComposites {
  private ExpandComposites() {}

  /** The expanded graph and the map from each value of the original graph to its counterpart. */
  public record Result(Graph graph, Map<Value, Value> values) {
    /** The counterpart of {@code v} in the expanded graph. */
    public Value get(Value v) {
      Value c = values.get(v);
      if (c == null) throw new KilnException("value '" + v.name() + "' has no counterpart in the expanded graph");
      return c;
    }
  }

  /** Expands every composite node. */
  public static Result all(Graph g) { return run(g, n -> true); }

  /** Whether any node of {@code g} is a composite that {@code which} selects. */
  public static boolean any(Graph g, Predicate<Node> which) {
    return g.nodes().stream().anyMatch(n -> n.op().isComposite() && which.test(n));
  }

  /** Expands the composite nodes that {@code which} selects; returns {@code g} itself when there are none. */
  public static Result run(Graph g, Predicate<Node> which) {
    Map<Value, Value> total = identity(g);
    Graph cur = g;
    for (int round = 0; any(cur, which); round++) {
      if (round > 64) throw new KilnException("graph " + g.name() + ": composite expansion does not terminate (a decomposition produces itself?)");
      Result r = once(cur, which);
      Map<Value, Value> composed = new IdentityHashMap<>();
      total.forEach((orig, mid) -> composed.put(orig, r.values().get(mid)));
      total = composed;
      cur = r.graph();
    }
    return new Result(cur, total);
  }

  private static Map<Value, Value> identity(Graph g) {
    Map<Value, Value> m = new IdentityHashMap<>();
    g.inputs().forEach(v -> m.put(v, v));
    g.parameters().forEach(p -> m.put(p.value(), p.value()));
    g.nodes().forEach(n -> n.outputs().forEach(v -> m.put(v, v)));
    return m;
  }

  /** Same dtype and rank, and equal sizes where both are static (a decomposition may know less about a symbol). */
  private static boolean compatible(dev.kiln.spec.TensorType a, dev.kiln.spec.TensorType b) {
    if (a.dtype() != b.dtype() || a.rank() != b.rank()) return false;
    for (int d = 0; d < a.rank(); d++) {
      var x = a.shape().dim(d);
      var y = b.shape().dim(d);
      if (x.isStatic() && y.isStatic() && x.size() != y.size()) return false;
    }
    return true;
  }

  private static Result once(Graph g, Predicate<Node> which) {
    GraphBuilder b = new GraphBuilder(g.name());
    Map<Value, Value> map = new IdentityHashMap<>();
    for (Value v : g.inputs()) map.put(v, b.input(v.name(), v.type()));
    for (Parameter p : g.parameters()) {
      map.put(p.value(), b.at(List.of(), null, () -> b.parameter(p.name(), p.initial(), p.trainable(), p.initializer())));
    }
    for (Node n : g.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      if (n.op().isComposite() && which.test(n)) {
        String local = n.opName().toLowerCase(java.util.Locale.ROOT);
        List<Value> outs = b.at(n.scope(), n.location(), () -> b.scoped(local, () -> n.op().decomposition().expand(b, n, in)));
        if (outs.size() != n.outputs().size()) {
          throw new KilnException("the decomposition of " + n.opName() + " returned " + outs.size() + " values for "
              + n.outputs().size() + " outputs (node '" + n.output().name() + "')");
        }
        for (int i = 0; i < outs.size(); i++) {
          Value orig = n.outputs().get(i);
          if (!compatible(outs.get(i).type(), orig.type())) {
            throw new KilnException("the decomposition of " + n.opName() + " made output " + i + " " + outs.get(i).type()
                + " where the node has " + orig.type() + " (node '" + orig.name() + "')");
          }
          // Rename back: an Identity that takes the composite's output name, scope and line.
          Node rename = new Node(OpRegistry.get(dev.kiln.spec.ops.Identity.class), List.of(outs.get(i)), Attrs.EMPTY, List.of(orig), n.scope(), n.location());
          map.put(orig, b.copy(rename, List.of(outs.get(i))).output());
        }
      } else {
        Node copy = b.copy(n, in);
        for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
      }
    }
    for (Value o : g.outputs()) b.output(map.get(o));
    g.metadata().forEach(b::metadata);
    return new Result(b.build(), map);
  }
}
