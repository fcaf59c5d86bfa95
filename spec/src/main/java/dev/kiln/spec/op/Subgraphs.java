package dev.kiln.spec.op;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Constant;
import dev.kiln.spec.ops.Identity;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the control-flow ops ({@code If}, {@code Loop}, {@code Scan}) share about their subgraph attributes.
 *
 * <p>A subgraph is a closed {@link Graph}: it reads only its own inputs. Values of the enclosing graph that a body
 * uses (ONNX's outer-scope references) are passed explicitly: they are the trailing {@code captures} inputs of the
 * node and the trailing inputs of each body, in the same order. So every pass, printer and back end sees all the
 * data a node reads in its input list, and a body can be type-checked, printed and lowered on its own.
 */
public final class Subgraphs {
  /**
   * How deeply subgraphs may nest (a Loop in an If in a Loop ... counts each level). Deeper graphs are refused
   * where they are built, so the recursive walks over nested graphs (printing, export, lowering) stay shallow.
   */
  public static final int MAX_NESTING = 16;

  private Subgraphs() {}

  /** The subgraph attribute {@code name} of a node's attributes, type-checked against the inputs it will get. */
  public static Graph body(dev.kiln.spec.ir.Attrs attrs, String name, List<TensorType> inputs) {
    Graph g = (Graph) attrs.get(name);
    if (g.inputs().size() != inputs.size()) {
      throw new ShapeException(name + " takes " + g.inputs().size() + " inputs, the node gives it " + inputs.size()
          + " (" + inputs + ")");
    }
    for (int i = 0; i < inputs.size(); i++) {
      TensorType want = g.inputs().get(i).type();
      if (!want.equals(inputs.get(i))) {
        throw new ShapeException(name + " input " + i + " ('" + g.inputs().get(i).name() + "') is " + want
            + ", the node gives it " + inputs.get(i));
      }
    }
    if (!g.parameters().isEmpty()) {
      throw new ShapeException(name + " holds parameters " + g.parameters().stream().map(p -> p.name()).toList()
          + "; a subgraph reads weights as captured inputs");
    }
    nesting(g, 1);
    return g;
  }

  /** Fails when subgraphs nest deeper than {@link #MAX_NESTING} below {@code g} (at {@code depth}). */
  public static void nesting(Graph g, int depth) {
    if (depth > MAX_NESTING) {
      throw new ShapeException("subgraphs nest deeper than " + MAX_NESTING + " levels (graph " + g.name() + ")");
    }
    for (Node n : g.nodes()) {
      for (Object v : n.attrs().asMap().values()) if (v instanceof Graph sub) nesting(sub, depth + 1);
    }
  }

  /** Whether two types can be the same at run time: same dtype and rank, and no two static dims differ. */
  public static boolean compatible(TensorType a, TensorType b) {
    if (a.dtype() != b.dtype() || a.rank() != b.rank()) return false;
    for (int i = 0; i < a.rank(); i++) {
      Dim x = a.shape().dim(i);
      Dim y = b.shape().dim(i);
      if (x.isStatic() && y.isStatic() && x.size() != y.size()) return false;
    }
    return true;
  }

  /** The type both of two compatible types fit: equal dims kept, others unknown. */
  public static TensorType join(TensorType a, TensorType b) {
    List<Dim> dims = new ArrayList<>();
    for (int i = 0; i < a.rank(); i++) {
      Dim x = a.shape().dim(i);
      dims.add(x.equals(b.shape().dim(i)) ? x : Dim.unknown());
    }
    return a.withShape(dev.kiln.spec.Shape.of(dims));
  }

  /** A scalar (or one-element) input of {@code dtype}, else an error naming it. */
  public static void scalar(String what, TensorType t, dev.kiln.spec.DType dtype) {
    boolean oneElement = t.rank() == 0 || (t.rank() == 1 && t.shape().dim(0).is(1));
    if (t.dtype() != dtype || !oneElement) {
      throw new ShapeException("input " + what + " must be a " + dtype.shortName() + " scalar, got " + t);
    }
  }

  /**
   * Adds the nodes of {@code body} to {@code b}, reading {@code args} for its inputs (same order), and returns
   * the values of its outputs there. Nested control flow is copied as it is (its bodies stay subgraphs).
   */
  public static List<Value> inline(GraphBuilder b, Graph body, List<Value> args) {
    Map<Value, Value> map = new IdentityHashMap<>();
    for (int i = 0; i < args.size(); i++) map.put(body.inputs().get(i), args.get(i));
    for (Node n : body.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      Node copy = b.copy(n, in);
      for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
    }
    List<Value> out = new ArrayList<>();
    for (Value v : body.outputs()) out.add(map.get(v));
    return out;
  }

  /** The constant value of {@code v} when a {@code Constant} node of {@code b} makes it (through Identities), else null. */
  public static HostTensor constantOf(GraphBuilder b, Value v) {
    Value cur = v;
    for (int hops = 0; hops < 64; hops++) {
      Node producer = producer(b.nodes(), cur);
      if (producer == null) return null;
      if (producer.op() instanceof Constant) return producer.attrs().getTensor("value");
      if (!(producer.op() instanceof Identity)) return null;
      cur = producer.input(0);
    }
    return null;
  }

  /** Whether body output {@code out} is body input {@code in} (directly or through Identities) inside {@code body}. */
  public static boolean passesThrough(Graph body, Value out, Value in) {
    Value cur = out;
    for (int hops = 0; hops < 64; hops++) {
      if (cur == in) return true;
      Node producer = producer(body.nodes(), cur);
      if (producer == null || !(producer.op() instanceof Identity)) return false;
      cur = producer.input(0);
    }
    return false;
  }

  /** Whether body output {@code out} is a constant true (a Constant node, through Identities). */
  public static boolean constantTrue(Graph body, Value out) {
    Value cur = out;
    for (int hops = 0; hops < 64; hops++) {
      Node producer = producer(body.nodes(), cur);
      if (producer == null) return false;
      if (producer.op() instanceof Constant) {
        HostTensor t = producer.attrs().getTensor("value");
        return t.size() == 1 && t.getDouble(0) != 0;
      }
      if (!(producer.op() instanceof Identity)) return false;
      cur = producer.input(0);
    }
    return false;
  }

  private static Node producer(List<Node> nodes, Value v) {
    for (int i = nodes.size() - 1; i >= 0; i--) if (nodes.get(i).outputs().contains(v)) return nodes.get(i);
    return null;
  }
}
