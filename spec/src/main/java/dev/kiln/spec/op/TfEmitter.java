package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Node;
import java.util.List;
import java.util.Map;

/**
 * What a TensorFlow lowering may do while emitting one IR node; implemented by the runtime on TF-Java's
 * generic graph-operation builder. Handles are opaque here (TF-Java operands in the runtime).
 */
public interface TfEmitter {
  Node node();

  /** The TF handle of the node's {@code i}-th input. */
  Object input(int i);

  /** A constant tensor. */
  Object constant(HostTensor value);

  /** Adds one TF op and returns its outputs. Attribute values: Long, Double, String, Boolean, long[], DType. */
  List<Object> op(String tfOpType, List<Object> inputs, Map<String, Object> attrs, int outputs);
}
