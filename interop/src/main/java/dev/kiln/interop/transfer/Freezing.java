package dev.kiln.interop.transfer;

import dev.kiln.dsl.Model;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Setting parameters trainable or frozen by name prefix; state (running statistics) is never made trainable. */
final class Freezing {
  private Freezing() {}

  /** {@code m} with the parameters under {@code prefixes} (all when empty) set to {@code trainable}. */
  static Model set(Model m, boolean trainable, List<String> prefixes) {
    Graph g = m.graph();
    Set<String> state = StateParameters.of(g);
    boolean[] used = new boolean[prefixes.size()];
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) {
      boolean hit = prefixes.isEmpty();
      for (int i = 0; i < prefixes.size(); i++) {
        if (under(p.name(), prefixes.get(i))) {
          hit = true;
          used[i] |= !state.contains(p.name());
        }
      }
      ps.add(hit && !state.contains(p.name()) ? p.withTrainable(trainable) : p);
    }
    for (int i = 0; i < prefixes.size(); i++) {
      if (!used[i]) throw unknown(g, prefixes.get(i), state);
    }
    return new Model(g.with(ps, g.nodes(), g.outputs()));
  }

  /** Whether parameter {@code name} is {@code prefix} or lies under it ({@code prefix.}...). */
  static boolean under(String name, String prefix) {
    return name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '.');
  }

  private static KilnException unknown(Graph g, String prefix, Set<String> state) {
    // Every dotted prefix of every weight is a name the user could have meant.
    Set<String> names = new TreeSet<>();
    for (Parameter p : g.parameters()) {
      if (state.contains(p.name())) continue;
      String n = p.name();
      for (int i = n.indexOf('.'); i > 0; i = n.indexOf('.', i + 1)) names.add(n.substring(0, i));
      names.add(n);
    }
    List<String> near = names.stream().sorted(Comparator.comparingInt((String s) -> CutPoints.editDistance(s, prefix))).limit(5).toList();
    return new KilnException("freeze/unfreeze: no weight of model '" + g.name() + "' is named '" + prefix + "' or lies under it;"
        + " did you mean one of " + near + "?");
  }
}
