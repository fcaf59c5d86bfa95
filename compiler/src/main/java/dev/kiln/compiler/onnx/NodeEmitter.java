package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxForm;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The compiler's {@link OnnxEmitter}: appends NodeProtos and initializers to a GraphProto under construction. */
final class NodeEmitter implements OnnxEmitter {
  private final int opset;
  private final GraphProto.Builder graph;
  private final Set<String> names;
  /** The ONNX name of each IR value: its own name at top level, a prefixed or outer name inside a subgraph. */
  private final java.util.function.Function<dev.kiln.spec.ir.Value, String> naming;
  private Node current;
  private int nodeIndex;

  NodeEmitter(int opset, GraphProto.Builder graph, Set<String> names) {
    this(opset, graph, names, dev.kiln.spec.ir.Value::name);
  }

  NodeEmitter(int opset, GraphProto.Builder graph, Set<String> names,
              java.util.function.Function<dev.kiln.spec.ir.Value, String> naming) {
    this.opset = opset;
    this.graph = graph;
    this.names = names;
    this.naming = naming;
  }

  void emitNode(Node n, OnnxForm form) {
    current = n;
    nodeIndex = 0;
    form.emit(this);
  }

  @Override public int opset() { return opset; }

  @Override public Node node() { return current; }

  @Override public String input(int i) {
    var v = current.inputs().get(i);
    return v == null ? "" : naming.apply(v);
  }

  @Override public String output(int i) { return naming.apply(current.outputs().get(i)); }

  @Override public Object subgraph(String attrName, dev.kiln.spec.ir.Graph body, List<String> outerNames) {
    return SubgraphWriter.write(opset, names, output(0) + "/" + attrName, body, outerNames);
  }

  @Override public String constant(HostTensor value, String hint) {
    String name = fresh(hint);
    graph.addInitializer(OnnxTensors.toProto(name, value));
    return name;
  }

  @Override public String fresh(String hint) {
    String base = output(0) + "." + hint;
    String n = base;
    for (int i = 1; names.contains(n); i++) n = base + "_" + i;
    names.add(n);
    return n;
  }

  @Override public void emit(String opType, List<String> inputs, List<String> outputs, Map<String, Object> attrs) {
    String nodeName = output(0) + (nodeIndex++ == 0 ? "" : "/" + opType + nodeIndex);
    NodeProto.Builder nb = NodeProto.newBuilder().setOpType(opType).setName(nodeName)
        .addAllInput(inputs).addAllOutput(outputs)
        .setDocString(current.location().toString());
    attrs.forEach((k, v) -> nb.addAttribute(attribute(k, v)));
    graph.addNode(nb);
  }

  static AttributeProto attribute(String name, Object v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    if (v instanceof Long || v instanceof Integer) a.setType(AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
    else if (v instanceof Boolean b) a.setType(AttributeProto.AttributeType.INT).setI(b ? 1 : 0);
    else if (v instanceof DType d) a.setType(AttributeProto.AttributeType.INT).setI(d.onnxCode());
    else if (v instanceof Double || v instanceof Float) a.setType(AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
    else if (v instanceof String s) a.setType(AttributeProto.AttributeType.STRING).setS(com.google.protobuf.ByteString.copyFromUtf8(s));
    else if (v instanceof long[] l) {
      a.setType(AttributeProto.AttributeType.INTS);
      for (long x : l) a.addInts(x);
    } else if (v instanceof double[] d) {
      a.setType(AttributeProto.AttributeType.FLOATS);
      for (double x : d) a.addFloats((float) x);
    } else if (v instanceof String[] ss) {
      a.setType(AttributeProto.AttributeType.STRINGS);
      for (String s : ss) a.addStrings(com.google.protobuf.ByteString.copyFromUtf8(s));
    } else if (v instanceof HostTensor t) a.setType(AttributeProto.AttributeType.TENSOR).setT(OnnxTensors.toProto(name, t));
    else if (v instanceof GraphProto g) a.setType(AttributeProto.AttributeType.GRAPH).setG(g);
    else throw new KilnException("cannot write attribute '" + name + "' of type " + v.getClass().getSimpleName() + " to ONNX");
    return a.build();
  }
}
