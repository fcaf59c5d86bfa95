package dev.kiln.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of {@code kiln inspect} that says what Kiln can do with a model: which ONNX op types import,
 * whether the whole model imports (else why not), and which imported IR ops have gradients.
 */
final class ImportSupport {
  private ImportSupport() {}

  /** The report's text, and whether the whole model imports (inspect exits 2 when it does not). */
  record Verdict(String text, boolean importable) {}

  static Verdict of(ModelProto m, java.nio.file.Path dir) {
    StringBuilder b = new StringBuilder();
    int opset;
    try {
      opset = OnnxImporter.opset(m);
    } catch (KilnException e) {
      return new Verdict("kiln import: no (" + e.getMessage().strip().replaceAll("\\s*\\n\\s*", "; ") + ")\n", false);
    }
    Map<String, Integer> missing = OnnxImporter.unsupportedOps(m, opset);
    TreeSet<String> types = new TreeSet<>();
    for (NodeProto n : m.getGraph().getNodeList()) types.add((n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType());
    TreeSet<String> ok = new TreeSet<>(types);
    missing.keySet().forEach(k -> ok.remove(k.substring(0, k.indexOf(" (opset"))));
    b.append("kiln importable ops: ").append(ok.isEmpty() ? "none" : String.join(", ", ok)).append('\n');
    if (!missing.isEmpty()) b.append("kiln unsupported ops: ").append(missing).append('\n');
    Graph g;
    try {
      g = OnnxImporter.importModel(m, dir, ImportOptions.defaults());
    } catch (KilnException e) {
      b.append("kiln import: no (").append(e.getMessage().strip().replaceAll("\\s*\\n\\s*", "; ")).append(")\n");
      return new Verdict(b.toString(), false);
    }
    b.append("kiln import: yes (").append(g.nodes().size()).append(" IR nodes)\n");
    b.append(EngineSupport.of(g));
    Map<String, Boolean> diff = new TreeMap<>();
    for (Node n : g.nodes()) diff.put(n.opName(), n.op().vjp() != null);
    TreeSet<String> yes = new TreeSet<>();
    TreeSet<String> no = new TreeSet<>();
    diff.forEach((op, d) -> (d ? yes : no).add(op));
    b.append("kiln differentiable IR ops: ").append(yes.isEmpty() ? "none" : String.join(", ", yes)).append('\n');
    if (!no.isEmpty()) b.append("kiln IR ops without gradients: ").append(String.join(", ", no)).append('\n');
    return new Verdict(b.toString(), true);
  }
}
