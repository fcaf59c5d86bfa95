package dev.kiln.interop.transfer;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The values a graph can be cut at, nearest the output first, and the "did you mean" for a name that is not one.
 * Nearest the output first because a cut is almost always a few layers before the classifier: a list that begins
 * with the stem convolutions (graph order) hides the useful names under hundreds of others.
 */
public final class CutPoints {
  private CutPoints() {}

  /**
   * One place to cut.
   *
   * @param name the value's name ({@link Transfer#cutAt} takes it)
   * @param op the op that makes it
   * @param type its dtype and shape
   * @param fromOutput how many nodes follow it on the way to the graph's outputs (0: an output itself)
   */
  public record CutPoint(String name, String op, TensorType type, int fromOutput) {
    @Override public String toString() {
      return String.format(Locale.ROOT, "%-40s %-22s %s", name, op, type);
    }
  }

  /**
   * Every node output of {@code g} that an output depends on (state updates and values only a state update reads
   * are left out), ordered by how many nodes lie between it and the outputs, nearest first.
   */
  public static List<CutPoint> of(Graph g) {
    List<Node> nodes = g.nodes();
    // Distance to the outputs: walk the nodes backwards; a value's distance is 1 + the least distance of its readers.
    java.util.Map<Value, Integer> dist = new java.util.HashMap<>();
    for (Value out : g.outputs()) if (!TrainingForm.isUpdate(out)) dist.put(out, 0);
    List<CutPoint> points = new ArrayList<>();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      Integer best = null;
      for (Value o : n.outputs()) {
        Integer d = dist.get(o);
        if (d != null && (best == null || d < best)) best = d;
      }
      if (best == null) continue;  // not on the way to an output
      for (Value o : n.outputs()) if (dist.containsKey(o)) points.add(new CutPoint(o.name(), n.opName(), o.type(), dist.get(o)));
      for (Value in : n.inputs()) {
        if (in == null || in.kind() != Value.Kind.NODE) continue;
        dist.merge(in, best + 1, Math::min);
      }
    }
    points.sort(Comparator.comparingInt(CutPoint::fromOutput));
    return points;
  }

  /** The value of {@code g} named {@code name} (input, parameter or node output), or a "did you mean" error. */
  static Value find(Graph g, String name) {
    for (Value v : g.inputs()) if (v.name().equals(name)) return v;
    for (Parameter p : g.parameters()) if (p.name().equals(name)) return p.value();
    for (Node n : g.nodes()) for (Value v : n.outputs()) if (v.name().equals(name)) return v;
    List<CutPoint> all = of(g);
    List<String> near = all.stream().map(CutPoint::name)
        .sorted(Comparator.comparingInt((String s) -> editDistance(s, name))).limit(5).toList();
    List<String> last = all.stream().limit(8).map(CutPoint::name).toList();
    throw new KilnException("Transfer: graph '" + g.name() + "' has no value named '" + name + "'; did you mean one of "
        + near + "? Nearest the output: " + last + " (all " + all.size() + ": Transfer.candidates(graph), or ./kiln layers MODEL)");
  }

  /** Levenshtein distance (insert, delete, substitute: 1 each). */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
