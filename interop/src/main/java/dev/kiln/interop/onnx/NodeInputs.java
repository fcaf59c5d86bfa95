package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.ModelFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a node's inputs against ONNX's own schema for its op and opset before any op importer runs, so no
 * importer ever sees a required input missing or left empty. The table {@code input-arity.tsv} is generated
 * from the onnx Python package's schemas by {@code scripts/onnx-input-arity.py}; ops newer than that package
 * (none Kiln imports needs it today) are left to their importers.
 */
final class NodeInputs {
  /** One schema version: per formal input R (required), O (optional) or V (variadic); min and max inputs. */
  private record Arity(String forms, int min, int max) {}

  private static final Map<String, TreeMap<Integer, Arity>> TABLE = load();

  private NodeInputs() {}

  /** Refuses a node listing too few or too many inputs, or leaving a required one empty; names the input. */
  static void check(NodeProto n, int opset) {
    if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) return; // the table holds the default domain's schemas
    TreeMap<Integer, Arity> versions = TABLE.get(n.getOpType());
    if (versions == null) return;
    Map.Entry<Integer, Arity> e = versions.floorEntry(opset);
    // NOTE: an op used at an opset before it existed is checked against its first schema: importers read it anyway.
    Arity a = (e != null ? e : versions.firstEntry()).getValue();
    int count = n.getInputCount();
    if (count < a.min) {
      throw new ModelFileException(GraphChecks.where(n, opset) + ": has " + count + (count == 1 ? " input" : " inputs")
          + ", " + n.getOpType() + " needs at least " + a.min);
    }
    if (a.max >= 0 && count > a.max) {
      throw new ModelFileException(GraphChecks.where(n, opset) + ": has " + count + " inputs, " + n.getOpType() + " takes at most " + a.max);
    }
    for (int i = 0; i < count; i++) {
      // Past the last formal input only a variadic one repeats (more would have exceeded max).
      char form = a.forms.isEmpty() ? 'O' : a.forms.charAt(Math.min(i, a.forms.length() - 1));
      if (form != 'O' && n.getInput(i).isEmpty()) {
        throw new ModelFileException(GraphChecks.where(n, opset) + ": input " + i + " is required but left empty");
      }
    }
  }

  private static Map<String, TreeMap<Integer, Arity>> load() {
    Map<String, TreeMap<Integer, Arity>> m = new HashMap<>();
    try (InputStream in = NodeInputs.class.getResourceAsStream("input-arity.tsv")) {
      if (in == null) throw new IllegalStateException("input-arity.tsv is missing from Kiln's interop jar");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) continue;
        String[] f = line.split("\t");
        m.computeIfAbsent(f[0], k -> new TreeMap<>())
            .put(Integer.parseInt(f[1]), new Arity(f[2].equals("-") ? "" : f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }
}
