package dev.kiln.spec.ir;

import java.util.stream.Collectors;

/**
 * Prints a graph as text, one item a line:
 * <pre>
 * graph mlp(x: f32[batch, 784]) -> (fc2.add: f32[batch, 10])
 *   param fc1.weight: f32[784, 256] = glorot_uniform
 *   fc1.matmul: f32[batch, 256] = MatMul(x, fc1.weight)
 * </pre>
 * The format is stable: golden tests compare it.
 */
final class IrPrinter {
  private IrPrinter() {}

  static String print(Graph g, boolean locations) {
    StringBuilder b = new StringBuilder();
    print(b, g, locations, "");
    return b.toString();
  }

  /**
   * Prints {@code g} with every line indented by {@code indent}; a node's subgraph attributes (If's branches, a
   * Loop's body) follow its line, indented one level further. Nesting is bounded where graphs are built
   * ({@code dev.kiln.spec.op.Subgraphs#MAX_NESTING}), so the recursion is too.
   */
  private static void print(StringBuilder b, Graph g, boolean locations, String indent) {
    b.append(indent).append("graph ").append(g.name()).append('(')
        .append(g.inputs().stream().map(Value::toString).collect(Collectors.joining(", ")))
        .append(") -> (")
        .append(g.outputs().stream().map(Value::toString).collect(Collectors.joining(", ")))
        .append(")\n");
    for (Parameter p : g.parameters()) {
      b.append(indent).append("  param ").append(p.value()).append(" = ").append(p.initializer());
      if (!p.trainable()) b.append(" frozen");
      b.append('\n');
    }
    for (Node n : g.nodes()) {
      b.append(indent).append("  ")
          .append(n.outputs().stream().map(Value::toString).collect(Collectors.joining(", ")))
          .append(" = ").append(n.opName());
      String attrs = n.attrs().toString();
      if (!attrs.isEmpty()) b.append(attrs);
      b.append('(').append(n.inputs().stream().map(Value::name).collect(Collectors.joining(", "))).append(')');
      if (locations) b.append("  # ").append(n.location());
      b.append('\n');
      n.attrs().asMap().forEach((k, v) -> {
        if (v instanceof Graph sub) {
          b.append(indent).append("    ").append(k).append(":\n");
          print(b, sub, locations, indent + "      ");
        }
      });
    }
  }
}
