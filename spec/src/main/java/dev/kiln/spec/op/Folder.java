package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import java.util.ArrayList;
import java.util.List;

/**
 * An op's folding rule: what its outputs are, computed on the host, from what is known of its inputs. It
 * lives beside the op (returned by {@link Op#folder()}), so the op's semantics stay in one place. Inputs are
 * {@link Folded} values: constants, shape values with symbolic entries ({@code [batch, 64]}), fills of a
 * symbolic shape, or run-time values known only by their type. Callers go through {@link Folding#fold},
 * which runs the op's type rule first and checks the results.
 *
 * <p>A folder never guesses: where it cannot compute an output exactly as the op would at run time (a
 * dtype it does not handle, a value that depends on run-time data, a result too large) it returns
 * {@code null}, and the node is kept. It may throw {@link dev.kiln.spec.ShapeException} for inputs the op
 * would certainly reject at run time (an index out of range); the importer reports that as a malformed
 * model, the compiler's pass keeps the node.
 */
@FunctionalInterface
public interface Folder {
  /**
   * The outputs, one per output, each a {@link Folded.Const}, {@link Folded.ShapeValue} or
   * {@link Folded.Fill}; or {@code null} to decline. {@code attrs} are complete (defaults filled in).
   */
  List<Folded> fold(List<Folded> inputs, Attrs attrs);

  /** A rule over constant tensors only: outputs from inputs, or null to decline. */
  @FunctionalInterface
  interface OnConstants {
    List<HostTensor> fold(List<HostTensor> inputs, Attrs attrs);
  }

  /** A folder that computes only when every input is a constant, with {@code rule}. */
  static Folder constants(OnConstants rule) {
    return (in, attrs) -> {
      List<HostTensor> ts = new ArrayList<>();
      for (Folded f : in) {
        if (f.constant() == null) return null;
        ts.add(f.constant());
      }
      List<HostTensor> out = rule.fold(ts, attrs);
      return out == null ? null : out.stream().map(Folded::of).toList();
    };
  }
}
