package dev.kiln.spec.ops;

import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.OpTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the generated facade classes ({@link Ops} and its families) share: applying an op class's singleton
 * through a target. Trailing absent ({@code null}) optional inputs are left out, so {@code conv(b, x, w, null)}
 * builds the same node as {@code conv(b, x, w)}.
 */
final class OpsSupport {
  private OpsSupport() {}

  @SafeVarargs
  static <V> V one(OpTarget<V> g, Class<? extends Op> op, Attrs attrs, V... inputs) {
    return all(g, op, attrs, inputs).get(0);
  }

  @SafeVarargs
  static <V> List<V> all(OpTarget<V> g, Class<? extends Op> op, Attrs attrs, V... inputs) {
    return list(g, op, attrs, Arrays.asList(inputs));
  }

  static <V> V oneOf(OpTarget<V> g, Class<? extends Op> op, Attrs attrs, List<V> inputs) {
    return list(g, op, attrs, inputs).get(0);
  }

  /** The fixed inputs of a variadic op followed by its repeated ones (If's cond, then the captured values). */
  @SafeVarargs
  static <V> List<V> prefixed(List<V> rest, V... first) {
    List<V> all = new ArrayList<>(Arrays.asList(first));
    all.addAll(rest);
    return all;
  }

  static <V> List<V> list(OpTarget<V> g, Class<? extends Op> op, Attrs attrs, List<V> inputs) {
    List<V> present = new ArrayList<>(inputs);
    while (!present.isEmpty() && present.get(present.size() - 1) == null) present.remove(present.size() - 1);
    return g.apply(OpRegistry.get(op), present, attrs);
  }
}
