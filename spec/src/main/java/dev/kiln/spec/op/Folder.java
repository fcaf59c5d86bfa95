package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/**
 * An op's constant-folding rule: computes its outputs on the host from constant inputs. It lives
 * beside the op (returned by {@link Op#folder()}), so the op's semantics stay in one place.
 */
@FunctionalInterface
public interface Folder {
  /**
   * The outputs for these constant inputs and the node's complete attributes, one per output, or
   * {@code null} when this folder does not handle the case (e.g. a dtype {@link HostMath} lacks);
   * the node is then left as it is.
   */
  List<HostTensor> fold(List<HostTensor> inputs, Attrs attrs);
}
