package dev.kiln.dsl;

import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;

import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras-style summary: one row per block down to {@code depth} levels of name scopes (or per op outside blocks)
 * with the last output's shape and the block's parameter count, then totals. At the default depth 2 a layer inside
 * a block is a row of its own ({@code features.conv1}), and a block of blocks folds into one row per inner block
 * (a ResNet's {@code layer1.0}, op {@code Block}); a larger depth expands those.
 */
final class Summary {
  /** The default depth: blocks of layers show their layers; blocks of blocks fold at their inner blocks. */
  static final int DEPTH = 2;

  private Summary() {}

  static String of(Graph g) { return of(g, DEPTH); }

  static String of(Graph g, int depth) {
    if (depth < 1) throw new IllegalArgumentException("summary depth must be >= 1, got " + depth);
    Map<String, String[]> rows = new LinkedHashMap<>();
    Set<Node> forward = forward(g);
    for (Node n : g.nodes()) {
      if (!forward.contains(n)) continue;  // only computes a state update (batch norm's running statistics)
      List<String> scope = n.scope();
      String layer = scope.isEmpty() ? n.output().name() : String.join(".", scope.subList(0, Math.min(depth, scope.size())));
      String kind = scope.isEmpty() ? n.opName() : scope.size() > depth ? "Block"
          : rows.containsKey(layer) ? rows.get(layer)[1] : n.opName();
      rows.put(layer, new String[] {layer, kind, n.output().type().toString()});
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    long trainable = 0;
    long total = 0;
    for (Parameter p : g.parameters()) {
      String[] parts = p.name().split("\\.");
      String top = parts.length == 1 ? p.name() : String.join(".", java.util.Arrays.copyOf(parts, Math.min(depth, parts.length - 1)));
      counts.merge(top, p.initial().size(), Long::sum);
      total += p.initial().size();
      if (p.trainable()) trainable += p.initial().size();
    }
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"Layer", "Op", "Output shape", "Params"});
    for (String[] r : rows.values()) table.add(new String[] {r[0], r[1], r[2], String.format("%,d", counts.getOrDefault(r[0], 0L))});
    int[] w = new int[4];
    for (String[] r : table) for (int i = 0; i < 4; i++) w[i] = Math.max(w[i], r[i].length());
    StringBuilder b = new StringBuilder("Model: ").append(g.name()).append('\n');
    int width = w[0] + w[1] + w[2] + w[3] + 6;
    String rule = "-".repeat(width) + "\n";
    b.append(rule);
    for (int i = 0; i < table.size(); i++) {
      String[] r = table.get(i);
      b.append(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s%n", r[0], r[1], r[2], r[3]));
      if (i == 0) b.append(rule);
    }
    b.append(rule);
    b.append(String.format("Total params: %,d%nTrainable params: %,d%nFrozen params: %,d%n", total, trainable, total - trainable));
    return b.toString();
  }

  /**
   * The nodes the model's outputs depend on; state updates (training form) are left out, so a layer's row shows
   * its output, not the running mean it also updates, and the updates are not rows of their own.
   */
  private static Set<Node> forward(Graph g) {
    Map<Value, Node> producer = new HashMap<>();
    for (Node n : g.nodes()) for (Value o : n.outputs()) producer.put(o, n);
    Set<Node> seen = new HashSet<>();
    Deque<Value> todo = new ArrayDeque<>();
    for (Value out : g.outputs()) if (!TrainingForm.isUpdate(out)) todo.push(out);
    while (!todo.isEmpty()) {
      Node n = producer.get(todo.pop());
      if (n == null || !seen.add(n)) continue;
      for (Value in : n.inputs()) if (in != null) todo.push(in);
    }
    return seen;
  }
}
