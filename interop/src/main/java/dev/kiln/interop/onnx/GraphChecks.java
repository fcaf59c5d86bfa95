package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ModelFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural checks before import: each value defined once, every node input defined somewhere, no
 * cycles. Returns the nodes in a topological order (ONNX requires one, but a sorted copy costs little).
 */
final class GraphChecks {
  private GraphChecks() {}

  static List<NodeProto> sorted(GraphProto g, int opset) { return sorted(g, opset, name -> false); }

  /**
   * Sorts a graph whose nodes may also read names of enclosing scopes ({@code outer}, for a subgraph). A node with
   * subgraphs depends on the producers of the names its subgraphs read too (ONNX's implicit inputs).
   */
  static List<NodeProto> sorted(GraphProto g, int opset, java.util.function.Predicate<String> outer) {
    Set<String> external = new HashSet<>();
    g.getInputList().forEach(v -> external.add(v.getName()));
    g.getInitializerList().forEach(t -> external.add(t.getName()));
    Map<String, Integer> producer = new HashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      for (String o : g.getNode(i).getOutputList()) {
        if (o.isEmpty()) continue;
        if (producer.put(o, i) != null || external.contains(o)) {
          throw new ModelFileException(where(g.getNode(i), opset) + ": output '" + o + "' is defined more than once");
        }
      }
    }
    int n = g.getNodeCount();
    int[] pending = new int[n];
    List<List<Integer>> users = new ArrayList<>();
    for (int i = 0; i < n; i++) users.add(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      Set<String> reads = new java.util.LinkedHashSet<>(g.getNode(i).getInputList());
      reads.addAll(SubgraphProtos.freeNames(g.getNode(i)));
      for (String in : reads) {
        if (in.isEmpty() || external.contains(in)) continue;
        Integer p = producer.get(in);
        if (p == null && outer.test(in)) continue;
        if (p == null) {
          throw new ModelFileException(where(g.getNode(i), opset) + ": input '" + in
              + "' is not defined by any graph input, initializer or node");
        }
        pending[i]++;
        users.get(p).add(i);
      }
    }
    Deque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) if (pending[i] == 0) ready.add(i);
    List<NodeProto> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(g.getNode(i));
      for (int u : users.get(i)) if (--pending[u] == 0) ready.add(u);
    }
    if (order.size() < n) {
      for (int i = 0; i < n; i++) {
        if (pending[i] > 0) throw new ModelFileException(where(g.getNode(i), opset) + ": the graph has a cycle through this node");
      }
    }
    for (var out : g.getOutputList()) {
      if (!external.contains(out.getName()) && !producer.containsKey(out.getName()) && !outer.test(out.getName())) {
        throw new ModelFileException("graph output '" + out.getName() + "' is not defined by any input, initializer or node");
      }
    }
    return order;
  }

  static String where(NodeProto node, int opset) {
    return "node '" + name(node) + "' (" + node.getOpType() + ", opset " + opset + ")";
  }

  /**
   * A node's name as errors show it: its own, else its first output that is given (an LSTM may leave its first
   * output out), else its op type and the word "unnamed".
   */
  static String name(NodeProto node) {
    if (!node.getName().isEmpty()) return node.getName();
    for (String o : node.getOutputList()) if (!o.isEmpty()) return o;
    return "unnamed " + node.getOpType();
  }
}
