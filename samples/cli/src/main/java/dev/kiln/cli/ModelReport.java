package dev.kiln.cli;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.spec.DType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What {@code kiln inspect} prints about an ONNX model, computed from its protobuf. */
final class ModelReport {
  private ModelReport() {}

  /** The report as lines of text. */
  static String of(ModelProto m) {
    StringBuilder b = new StringBuilder();
    GraphProto g = m.getGraph();
    String producer = (m.getProducerName() + " " + m.getProducerVersion()).trim();
    line(b, "producer", producer.isEmpty() ? "(none)" : producer);
    line(b, "ir_version", Long.toString(m.getIrVersion()));
    List<String> opsets = new ArrayList<>();
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      opsets.add((o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain()) + " " + o.getVersion());
    }
    line(b, "opset_import", String.join(", ", opsets));
    line(b, "graph", g.getName());
    Set<String> initNames = new HashSet<>();
    for (TensorProto t : g.getInitializerList()) initNames.add(t.getName());
    b.append("inputs:\n");
    for (ValueInfoProto v : g.getInputList()) {
      // Before IR version 4 initializers were also listed as inputs; they are parameters, not inputs.
      if (!initNames.contains(v.getName())) b.append("  ").append(v.getName()).append(": ").append(type(v.getType())).append('\n');
    }
    b.append("outputs:\n");
    for (ValueInfoProto v : g.getOutputList()) b.append("  ").append(v.getName()).append(": ").append(type(v.getType())).append('\n');
    Map<String, Integer> ops = new TreeMap<>();
    int nodes = countOps(g, ops);
    b.append("ops (").append(nodes).append(nodes == 1 ? " node" : " nodes").append("):\n");
    int width = ops.keySet().stream().mapToInt(String::length).max().orElse(0);
    ops.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> b.append("  ").append(String.format("%-" + width + "s %d", e.getKey(), e.getValue())).append('\n'));
    long elements = 0;
    long bytes = 0;
    for (TensorProto t : g.getInitializerList()) {
      long n = elements(t);
      elements += n;
      bytes += byteSize(t, n);
    }
    line(b, "parameters", String.format("%,d elements, %,d bytes in %d initializers", elements, bytes, g.getInitializerCount()));
    Map<String, String> meta = new LinkedHashMap<>();
    for (StringStringEntryProto e : m.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
    b.append("metadata:").append(meta.isEmpty() ? " (none)" : "").append('\n');
    meta.forEach((k, v) -> b.append("  ").append(k).append(" = ").append(v).append('\n'));
    return b.toString();
  }

  /** Counts op types in {@code g} and in subgraphs (If/Loop/Scan bodies); returns the node count. */
  private static int countOps(GraphProto g, Map<String, Integer> ops) {
    int n = 0;
    for (NodeProto node : g.getNodeList()) {
      String type = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx")
          ? node.getOpType() : node.getDomain() + "." + node.getOpType();
      ops.merge(type, 1, Integer::sum);
      n++;
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) n += countOps(a.getG(), ops);
        for (GraphProto sub : a.getGraphsList()) n += countOps(sub, ops);
      }
    }
    return n;
  }

  /** A value's type as {@code f32[batch, 784]}, with dim_param names and {@code ?} for unnamed dynamic axes. */
  static String type(TypeProto t) {
    if (!t.hasTensorType()) return t.getValueCase().name().toLowerCase(java.util.Locale.ROOT);
    TypeProto.Tensor tt = t.getTensorType();
    StringBuilder b = new StringBuilder(dtypeName(tt.getElemType()));
    if (!tt.hasShape()) return b.append("[unknown rank]").toString();
    b.append('[');
    List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
    for (int i = 0; i < dims.size(); i++) {
      TensorShapeProto.Dimension d = dims.get(i);
      if (i > 0) b.append(", ");
      if (d.hasDimValue()) b.append(d.getDimValue());
      else if (d.hasDimParam() && !d.getDimParam().isEmpty()) b.append(d.getDimParam());
      else b.append('?');
    }
    return b.append(']').toString();
  }

  private static String dtypeName(int onnxCode) {
    for (DType d : DType.values()) if (d.onnxCode() == onnxCode) return d.shortName();
    return TensorProto.DataType.forNumber(onnxCode) == null ? "type" + onnxCode
        : TensorProto.DataType.forNumber(onnxCode).name().toLowerCase(java.util.Locale.ROOT);
  }

  private static long elements(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) n = Math.multiplyExact(n, Math.max(d, 0));
    return n;
  }

  /** Bytes of an initializer: element width times count when known, else its stored payload. */
  private static long byteSize(TensorProto t, long elements) {
    for (DType d : DType.values()) if (d.onnxCode() == t.getDataType()) return elements * d.byteSize();
    return t.getRawData().size();
  }

  private static void line(StringBuilder b, String key, String value) { b.append(key).append(": ").append(value).append('\n'); }
}
