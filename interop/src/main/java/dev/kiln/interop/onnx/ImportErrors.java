package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.op.Subgraphs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The import errors that are about the model as a whole, worded like every other import error: one line that starts
 * with the node it concerns, {@code node 'NAME' (OP, opset N): reason} ({@link GraphChecks#where}). A model's
 * unsupported ops name the first such node (subgraphs included) and then list every op type with its nodes; a graph
 * input Kiln cannot take names the first node that reads it.
 */
final class ImportErrors {
  /** Nodes named per op type in the list of unsupported ops (the count says how many there are). */
  private static final int NAMES_PER_OP = 8;

  private ImportErrors() {}

  /**
   * The error for a model with ops Kiln cannot import ({@code missing}: "Type (opset N)" → count, from
   * {@link OnnxImporter#unsupportedOps}), on one line.
   */
  static UnsupportedOpException unsupportedOps(GraphProto g, int opset, Map<String, Integer> missing) {
    Map<String, List<String>> names = new LinkedHashMap<>();
    List<NodeProto> first = new ArrayList<>();
    collect(g, opset, names, first, 0);
    StringBuilder b = new StringBuilder();
    if (!first.isEmpty()) b.append(GraphChecks.where(first.get(0), opset)).append(": Kiln cannot import this op; ");
    b.append("the model uses ONNX ops Kiln cannot import: ");
    List<String> parts = new ArrayList<>();
    missing.forEach((k, v) -> {
      List<String> ns = names.getOrDefault(k, List.of());
      parts.add(k + ": " + v + (v == 1 ? " node" : " nodes") + " (" + String.join(", ", ns.subList(0, Math.min(NAMES_PER_OP, ns.size())))
          + (ns.size() > NAMES_PER_OP ? ", ..." : "") + ")");
    });
    return new UnsupportedOpException(b.append(String.join(", ", parts)).toString());
  }

  /** The unsupported nodes of {@code g} and its subgraphs, by the key {@link OnnxImporter#unsupportedOps} uses. */
  private static void collect(GraphProto g, int opset, Map<String, List<String>> names, List<NodeProto> first, int depth) {
    if (depth > Subgraphs.MAX_NESTING) return;  // refused by SubgraphProtos.checkNesting before
    for (NodeProto n : g.getNodeList()) {
      for (GraphProto sub : SubgraphProtos.of(n)) collect(sub, opset, names, first, depth + 1);
      if (Importers.forNode(n) != null) continue;
      boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
      String key = (defaultDomain ? "" : n.getDomain() + ":") + n.getOpType() + " (opset " + opset + ")";
      names.computeIfAbsent(key, k -> new ArrayList<>()).add("'" + GraphChecks.name(n) + "'");
      if (first.isEmpty()) first.add(n);
    }
  }

  /**
   * {@code e}, an error about graph input {@code input} (its type, rank or dims), prefixed with the first node that
   * reads the input (in a subgraph, the top-level node holding it); when no node reads it, the message says so and
   * gives the model's opset ({@code graph input 'X' (read by no node; model opset N): ...}).
   */
  static KilnException graphInput(GraphProto g, int opset, String input, KilnException e) {
    String msg = e.getMessage() == null ? "graph input '" + input + "': invalid" : e.getMessage();
    NodeProto reader = null;
    for (NodeProto n : g.getNodeList()) {
      if (n.getInputList().contains(input) || SubgraphProtos.freeNames(n).contains(input)) {
        reader = n;
        break;
      }
    }
    if (reader != null) {
      msg = GraphChecks.where(reader, opset) + ": " + msg;
    } else {
      String prefix = "graph input '" + input + "'";
      String rest = msg.startsWith(prefix) ? msg.substring(prefix.length()) : ": " + msg;
      msg = prefix + " (read by no node; model opset " + opset + ")" + rest;
    }
    if (e instanceof UnsupportedOpException) return new UnsupportedOpException(msg);
    if (e instanceof ModelFileException) return new ModelFileException(msg, e);
    return new KilnException(msg, e);
  }
}
