package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Node;
import java.util.List;
import java.util.Map;

/**
 * What a TensorFlow handler ({@link TfHandler}) may do while emitting one IR node; implemented by
 * {@code TfLowerer} on TF-Java's generic graph-operation builder. Handles are opaque {@code Object}s (TF-Java
 * {@code Output}s), so handlers stay small graph recipes.
 */
public interface TfEmitter {
  Node node();

  /** The TF handle of the node's {@code i}-th input. */
  Object input(int i);

  /** A constant tensor. */
  Object constant(HostTensor value);

  /** Adds one TF op and returns its outputs. Attribute values: Long, Double, String, Boolean, long[], DType. */
  List<Object> op(String tfOpType, List<Object> inputs, Map<String, Object> attrs, int outputs);

  /**
   * The {@code i}-th input, a rank-4 [N, C, H, W] value, in channels-last layout [N, H, W, C], which TF's
   * window kernels take. An emitter that tracks layouts returns the form it already has (no transpose
   * when the producer was a window op too); this default transposes.
   */
  default Object inputChannelsLast(int i) { return TfShapes.transpose(this, input(i), 0, 2, 3, 1); }

  /**
   * An output handle for a rank-4 result computed in channels-last layout: an emitter that tracks layouts
   * keeps it that way until a consumer needs [N, C, H, W]; this default transposes back at once.
   */
  default Object channelsLast(Object nhwc) { return TfShapes.transpose(this, nhwc, 0, 3, 1, 2); }

  /**
   * Whether the {@code i}-th input exists only in channels-last form, so reading {@link #input} would
   * cost a transpose; a layout-aware lowering (e.g. a reduction) may then work channels-last instead.
   */
  default boolean onlyChannelsLast(int i) { return false; }

  /**
   * When the {@code i}-th input is a Transpose that only swaps the last two axes of some value, that
   * value's handle (a matrix product can then read it transposed, with no copy); else null.
   */
  default Object inputBeforeSwapLast(int i) { return null; }

  /**
   * The node, a {@code Loop}, lowered as a TensorFlow while loop whose body is the node's subgraph lowered in turn
   * (the lowerer implements it: it needs the TF graph itself, which handlers do not see).
   */
  default List<Object> whileLoop() {
    throw new dev.kiln.spec.KilnException("this emitter cannot lower a loop");
  }
}
