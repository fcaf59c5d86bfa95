package dev.kiln.spec.op;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Node;
import java.util.List;
import java.util.Map;

/**
 * What an ONNX lowering may do while emitting one IR node; implemented by the compiler on top of
 * the ONNX protobuf classes so that {@code spec} stays free of them. Attribute values are Long,
 * Double, String, long[], double[], String[], HostTensor or a {@link #subgraph}.
 */
public interface OnnxEmitter {
  /** The target opset of the default domain. */
  int opset();

  /** The IR node being emitted. */
  Node node();

  /** ONNX name of the node's {@code i}-th input. */
  String input(int i);

  /** ONNX name of the node's {@code i}-th output. */
  String output(int i);

  /** Adds a constant tensor (as an initializer) and returns its name. */
  String constant(HostTensor value, String hint);

  /** A fresh, unique name for an intermediate value. */
  String fresh(String hint);

  /**
   * A subgraph attribute value for {@link #emit} (If's branches, a Loop's or Scan's body). {@code outerNames} has
   * one entry per input of {@code body}: null for an input the ONNX subgraph declares (a Loop's iteration number,
   * its carried values), or the outer ONNX name the body reads there (a captured value, which ONNX reads from the
   * enclosing scope by name, so it is no input of the ONNX subgraph).
   */
  Object subgraph(String attrName, dev.kiln.spec.ir.Graph body, List<String> outerNames);

  /** Emits one ONNX node in the default domain. */
  void emit(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attrs);
}
