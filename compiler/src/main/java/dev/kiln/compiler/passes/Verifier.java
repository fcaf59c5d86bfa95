package dev.kiln.compiler.passes;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Checks a graph's invariants: unique names, every input defined before use (topological order),
 * each node's recorded output types equal to what its type rule gives now, outputs defined.
 * Passes and importers run it so a broken graph fails here rather than in a back end.
 */
public final class Verifier {
  private Verifier() {}

  public static void verify(Graph g) {
    Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> names = new HashSet<>();
    for (Value v : g.inputs()) define(g, v, defined, names);
    for (Parameter p : g.parameters()) {
      define(g, p.value(), defined, names);
      if (!p.initial().type().equals(p.value().type())) {
        throw new KilnException("graph " + g.name() + ": parameter " + p.name() + " is declared " + p.value().type()
            + " but its value is " + p.initial().type());
      }
    }
    for (Node n : g.nodes()) {
      List<TensorType> inTypes = new ArrayList<>();
      for (Value in : n.inputs()) {
        if (in != null && !defined.contains(in)) {
          throw new KilnException("graph " + g.name() + ": node " + n.opName() + " ('" + n.output().name()
              + "') uses '" + in.name() + "' before it is defined (not topologically ordered, or from another graph)");
        }
        inTypes.add(in == null ? null : in.type());
      }
      List<TensorType> expect;
      try {
        expect = n.op().inferTypes(inTypes, n.attrs());
      } catch (ShapeException e) {
        throw new KilnException("graph " + g.name() + ": node " + n.opName() + " ('" + n.output().name()
            + "') fails its type rule: " + e.getMessage(), e);
      }
      for (int i = 0; i < n.outputs().size(); i++) {
        Value out = n.outputs().get(i);
        if (i >= expect.size() || !expect.get(i).equals(out.type())) {
          throw new KilnException("graph " + g.name() + ": node " + n.opName() + " output '" + out.name() + "' is typed "
              + out.type() + " but the type rule gives " + (i < expect.size() ? expect.get(i) : "no such output"));
        }
        define(g, out, defined, names);
      }
    }
    for (Value o : g.outputs()) {
      if (!defined.contains(o)) throw new KilnException("graph " + g.name() + ": output '" + o.name() + "' is not defined");
    }
  }

  private static void define(Graph g, Value v, Set<Value> defined, Set<String> names) {
    if (!names.add(v.name())) throw new KilnException("graph " + g.name() + ": name '" + v.name() + "' is defined twice");
    defined.add(v);
  }
}
