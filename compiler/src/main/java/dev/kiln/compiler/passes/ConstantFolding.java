package dev.kiln.compiler.passes;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the graph through {@link Folding#fold}, the ops' own folders: a node whose outputs all fold to
 * constants is replaced by {@code Constant} nodes holding them. The outputs keep their {@link Value}
 * objects, so names, types and graph outputs are unchanged; the constants that fed a folded node become
 * dead and {@link DeadCodeElimination} drops them.
 *
 * <p>What is known flows forward: {@code Constant} values, and the symbolic results of shape computations
 * ({@code Shape(x)} of an {@code f32[batch, 64]} x is {@code [batch, 64]}), which stay nodes themselves
 * but let a later {@code Gather(.., 1)} fold to the constant 64. Inputs, parameters and everything else
 * are known by their types only.
 */
public final class ConstantFolding {
  /**
   * The largest result folded, in elements ({@link Folding#MAX_ELEMENTS}). NOTE: folding must not blow up
   * model size: a broadcast of two small constants can make a huge tensor that the runtime would compute
   * cheaply instead.
   */
  public static final long MAX_FOLDED_ELEMENTS = Folding.MAX_ELEMENTS;

  private ConstantFolding() {}

  public static Graph run(Graph g) {
    Op constant = OpRegistry.get(dev.kiln.spec.ops.Constant.class);
    Map<Value, Folded> known = new IdentityHashMap<>();
    List<Node> out = new ArrayList<>(g.nodes().size());
    boolean changed = false;
    for (Node n : g.nodes()) {
      if (n.op() == constant) {
        known.put(n.output(), Folded.of(n.attrs().getTensor("value")));
        out.add(n);
        continue;
      }
      List<Folded> folded = tryFold(n, known);
      if (folded == null) {
        out.add(n);
        continue;
      }
      for (int i = 0; i < folded.size(); i++) known.put(n.outputs().get(i), folded.get(i));
      if (!replaceable(n, folded)) {
        out.add(n);
        continue;
      }
      changed = true;
      for (int i = 0; i < folded.size(); i++) {
        out.add(new Node(constant, List.of(), Attrs.of("value", folded.get(i).constant()), List.of(n.outputs().get(i)),
            n.scope(), n.location()));
      }
    }
    return changed ? g.with(g.parameters(), out, g.outputs()) : g;
  }

  /** What folding knows of {@code n}'s outputs, or null when it cannot or should not be folded. */
  private static List<Folded> tryFold(Node n, Map<Value, Folded> known) {
    if (n.op().folder() == null) return null;
    List<Folded> in = new ArrayList<>();
    for (Value v : n.inputs()) in.add(v == null ? null : known.getOrDefault(v, Folded.runTime(v.type())));
    try {
      return Folding.fold(n.op(), in, n.attrs());
    } catch (ShapeException | ArithmeticException | IllegalArgumentException e) {
      // NOTE: the graph passed its type rules; a folder that finds its inputs invalid (an index out of range)
      // leaves the node for the runtime to report.
      return null;
    }
  }

  /**
   * Whether every output folded to a constant of exactly the output's type: a Constant node must have the
   * type its value's rule gives, so an output typed {@code [?]} (Range, ConstantOfShape) stays a node (a
   * later node may still fold from its value).
   */
  private static boolean replaceable(Node n, List<Folded> folded) {
    for (int i = 0; i < folded.size(); i++) {
      HostTensor t = folded.get(i).constant();
      if (t == null || !t.type().equals(n.outputs().get(i).type())) return false;
    }
    return true;
  }
}
