package dev.kiln.compiler.autodiff;

import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a graph's inputs, parameters and nodes into a {@link GraphBuilder} (names, scopes and
 * source locations kept), so that a rewrite can add nodes to an otherwise immutable graph.
 */
public final class GraphCopy {
  private GraphCopy() {}

  /** Copies {@code g} into {@code b}; returns the map from each of {@code g}'s values to its copy. */
  public static Map<Value, Value> into(GraphBuilder b, Graph g) {
    return into(b, g, new IdentityHashMap<>());
  }

  /** Like {@link #into(GraphBuilder, Graph)}, also recording each node's copy in {@code nodeMap}. */
  static Map<Value, Value> into(GraphBuilder b, Graph g, Map<Node, Node> nodeMap) {
    Map<Value, Value> map = new IdentityHashMap<>();
    for (Value v : g.inputs()) map.put(v, b.input(v.name(), v.type()));
    for (Parameter p : g.parameters()) {
      map.put(p.value(), b.at(List.of(), null, () -> b.parameter(p.name(), p.initial(), p.trainable(), p.initializer())));
    }
    for (Node n : g.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      Node copy = b.copy(n, in);
      nodeMap.put(n, copy);
      for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
    }
    g.metadata().forEach(b::metadata);
    return map;
  }

  /** A builder holding a copy of {@code g} under a new name, plus the value map. */
  public static Copied of(Graph g, String name) {
    GraphBuilder b = new GraphBuilder(name);
    Map<Node, Node> nodes = new IdentityHashMap<>();
    Map<Value, Value> values = into(b, g, nodes);
    return new Copied(b, values, nodes);
  }

  /** A builder with a copied graph in it and the maps from original values and nodes to their copies. */
  public record Copied(GraphBuilder builder, Map<Value, Value> values, Map<Node, Node> nodes) {
    /** The copy of node {@code n}. */
    public Node node(Node n) {
      Node c = nodes.get(n);
      if (c == null) throw new dev.kiln.spec.KilnException("node '" + n.output().name() + "' is not in the copied graph");
      return c;
    }

    /** The copy of {@code v}. */
    public Value get(Value v) {
      Value c = values.get(v);
      if (c == null) throw new dev.kiln.spec.KilnException("value '" + v.name() + "' is not in the copied graph");
      return c;
    }
  }
}
