package dev.kiln.compiler.passes;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces each node whose inputs all come from {@code Constant} nodes, and whose op declares a
 * {@link Folder}, by {@code Constant} nodes holding the folded values. The outputs keep their
 * {@link Value} objects, so names, types and graph outputs are unchanged; the constants that fed a
 * folded node become dead and {@link DeadCodeElimination} drops them.
 */
public final class ConstantFolding {
  /**
   * The largest result folded, in elements. NOTE: folding must not blow up model size: a broadcast
   * of two small constants can make a huge tensor that the runtime would compute cheaply instead.
   */
  public static final long MAX_FOLDED_ELEMENTS = 1_000_000;

  private ConstantFolding() {}

  public static Graph run(Graph g) {
    Op constant = OpRegistry.get("Constant");
    Map<Value, HostTensor> known = new IdentityHashMap<>();
    List<Node> out = new ArrayList<>(g.nodes().size());
    boolean changed = false;
    for (Node n : g.nodes()) {
      if (n.op() == constant) {
        known.put(n.output(), n.attrs().getTensor("value"));
        out.add(n);
        continue;
      }
      List<HostTensor> folded = tryFold(n, known);
      if (folded == null) {
        out.add(n);
        continue;
      }
      changed = true;
      for (int i = 0; i < folded.size(); i++) {
        Value v = n.outputs().get(i);
        known.put(v, folded.get(i));
        out.add(new Node(constant, List.of(), Attrs.of("value", folded.get(i)), List.of(v), n.scope(), n.location()));
      }
    }
    return changed ? g.with(g.parameters(), out, g.outputs()) : g;
  }

  /** The folded outputs of {@code n}, or null when it cannot or should not be folded. */
  private static List<HostTensor> tryFold(Node n, Map<Value, HostTensor> known) {
    Folder folder = n.op().folder();
    // A node without inputs (e.g. a random op) is not constant just because it has no inputs.
    if (folder == null || n.inputs().isEmpty()) return null;
    List<HostTensor> in = new ArrayList<>();
    for (Value v : n.inputs()) {
      HostTensor t = v == null ? null : known.get(v);
      if (t == null) return null;
      in.add(t);
    }
    for (Value v : n.outputs()) {
      if (!v.type().shape().isStatic() || v.type().shape().elementCount() > MAX_FOLDED_ELEMENTS) return null;
    }
    List<HostTensor> res = folder.fold(in, n.attrs());
    if (res == null) return null;
    if (res.size() != n.outputs().size()) {
      throw new KilnException("folder of " + n.opName() + " returned " + res.size() + " values for "
          + n.outputs().size() + " outputs (node '" + n.output().name() + "')");
    }
    for (int i = 0; i < res.size(); i++) {
      if (!res.get(i).type().equals(n.outputs().get(i).type())) {
        throw new KilnException("folder of " + n.opName() + " made " + res.get(i).type() + " but output '"
            + n.outputs().get(i).name() + "' is typed " + n.outputs().get(i).type());
      }
    }
    return res;
  }
}
