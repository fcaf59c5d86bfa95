package dev.kiln.samples.conformance;

import dev.kiln.samples.conformance.ConformanceRunner.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Issue 18: every node case that does not pass must say why in one line that names the node (its name, or its first
 * given output), the op type and the opset, as {@code node 'NAME' (OP, opset N)}, on both back ends. The one
 * exception is a graph input that no node reads, which can only be named as such: {@code graph input 'X' (read by
 * no node; model opset N)}.
 */
final class ErrorIdentity {
  static final Pattern NODE = Pattern.compile("node '[^']+' \\((?:[\\w.]+:)?\\w+, opset \\d+\\)");
  static final Pattern UNREAD_INPUT = Pattern.compile("graph input '[^']+' \\(read by no node; model opset \\d+\\)");

  private ErrorIdentity() {}

  /** One line per back end whose outcome of a node case breaks the rule; empty when all keep it. */
  static List<String> problems(List<Result> results) {
    List<String> out = new ArrayList<>();
    for (Result r : results) {
      if (!r.c().toString().startsWith("node/")) continue;
      check(r.c() + " on TensorFlow", r.tf(), out);
      check(r.c() + " in ONNX Runtime", r.ort(), out);
    }
    return out;
  }

  private static void check(String where, Outcome o, List<String> out) {
    if (o.kind() == Outcome.Kind.PASS) return;
    if (o.multiLine()) out.add(where + ": the error has more than one line: " + o.detail());
    else if (!NODE.matcher(o.detail()).find() && !UNREAD_INPUT.matcher(o.detail()).find()) {
      out.add(where + ": the error does not name node, op and opset: " + o.detail());
    }
  }
}
