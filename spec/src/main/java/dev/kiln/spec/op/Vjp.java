package dev.kiln.spec.op;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * A reverse-mode rule: given a forward node and the gradients {@code gys} of its outputs, build the
 * gradients of its inputs as IR ops in {@code b} (an entry is {@code null} for an input that gets no
 * gradient). Broadcast reduction is the autodiff driver's job, not the rule's.
 */
@FunctionalInterface
public interface Vjp {
  /** Marks an op whose inputs get no gradient (integer results, comparisons, shapes). */
  Vjp NOT_DIFFERENTIABLE = (b, node, gys) -> java.util.Collections.nCopies(node.inputs().size(), null);

  List<Value> apply(GraphBuilder b, Node node, List<Value> gys);
}
