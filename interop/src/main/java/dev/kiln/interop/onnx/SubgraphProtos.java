package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.op.Subgraphs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the importer needs to know of a node's subgraph attributes (If's branches, a Loop's or Scan's body) before
 * importing them: the subgraphs, the names they read from enclosing scopes, and their nesting depth. Every walk is
 * bounded by {@link Subgraphs#MAX_NESTING}, so a hostile file cannot make it recurse deeply.
 */
final class SubgraphProtos {
  private SubgraphProtos() {}

  /** The GRAPH and GRAPHS attributes of {@code n}. */
  static List<GraphProto> of(NodeProto n) {
    List<GraphProto> out = new ArrayList<>();
    for (AttributeProto a : n.getAttributeList()) {
      if (a.hasG()) out.add(a.getG());
      out.addAll(a.getGraphsList());
    }
    return out;
  }

  /**
   * Fails with a clear error when subgraphs nest deeper than {@link Subgraphs#MAX_NESTING} under {@code g}
   * ({@code depth} levels already enclose it).
   */
  static void checkNesting(GraphProto g, int depth, int opset) {
    for (NodeProto n : g.getNodeList()) {
      for (GraphProto sub : of(n)) {
        if (depth + 1 > Subgraphs.MAX_NESTING) {
          throw new ModelFileException(GraphChecks.where(n, opset) + ": subgraphs nest deeper than "
              + Subgraphs.MAX_NESTING + " levels; Kiln refuses such a model");
        }
        checkNesting(sub, depth + 1, opset);
      }
    }
  }

  /** The names the subgraphs of {@code n} read without defining them (outer-scope references), in first-use order. */
  static Set<String> freeNames(NodeProto n) {
    Set<String> free = new LinkedHashSet<>();
    for (GraphProto g : of(n)) free(g, free, 0);
    return free;
  }

  private static void free(GraphProto g, Set<String> out, int depth) {
    if (depth > Subgraphs.MAX_NESTING) return;  // refused by checkNesting before any import
    Set<String> defined = new HashSet<>();
    g.getInputList().forEach(v -> defined.add(v.getName()));
    g.getInitializerList().forEach(t -> defined.add(t.getName()));
    for (NodeProto n : g.getNodeList()) defined.addAll(n.getOutputList());
    for (NodeProto n : g.getNodeList()) {
      for (String in : n.getInputList()) if (!in.isEmpty() && !defined.contains(in)) out.add(in);
      Set<String> inner = new LinkedHashSet<>();
      for (GraphProto sub : of(n)) free(sub, inner, depth + 1);
      for (String in : inner) if (!defined.contains(in)) out.add(in);
    }
    for (var o : g.getOutputList()) if (!defined.contains(o.getName())) out.add(o.getName());
  }
}
