package dev.kiln.interop.transfer;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.layers.Linear;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link Transfer#replaceHead}: find the classifier (the last dense layer before the output) and swap it. */
final class Heads {
  private Heads() {}

  static Model replace(Model m, int classes, long seed) {
    if (classes < 1) throw new KilnException("replaceHead: classes must be >= 1, got " + classes);
    Graph g = m.graph();
    List<Value> outs = g.outputs().stream().filter(v -> !TrainingForm.isUpdate(v)).toList();
    if (outs.size() != 1) {
      throw new KilnException("replaceHead: model '" + g.name() + "' has " + outs.size() + " outputs " + outs.stream().map(Value::name).toList()
          + "; cut it yourself with Transfer.from(graph).cutAt(name).head(...)");
    }
    Set<Node> path = Transfer.ancestors(g, outs.get(0));
    List<Node> nodes = g.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (!path.contains(n) || !(n.opName().equals("MatMul") || n.opName().equals("Gemm"))) continue;
      Value weight = null;
      Value features = null;
      for (Value in : n.inputs()) {
        if (in == null) continue;
        if (in.kind() == Value.Kind.PARAMETER && in.name().endsWith(".weight") && in.type().shape().rank() == 2) weight = in;
        else if (features == null) features = in;
      }
      if (weight == null || features == null) continue;
      String layer = weight.name().substring(0, weight.name().length() - ".weight".length());
      Model cut = Transfer.from(g).trainBase(true).cutAt(features.name()).seed(seed)
          .head(g.name(), (mb, f) -> f.apply(layer, Linear.of(classes)));
      return keepFlags(g, cut, layer);
    }
    throw new KilnException("replaceHead: no dense layer (a 2-D NAME.weight in a MatMul or Gemm) leads to output '"
        + outs.get(0).name() + "' of model '" + g.name() + "'; cut it yourself: Transfer.candidates(graph) lists the places");
  }

  /** The base's parameters keep the trainable flags they had in {@code before}; the new head's train. */
  private static Model keepFlags(Graph before, Model after, String layer) {
    Map<String, Boolean> flags = new HashMap<>();
    for (Parameter p : before.parameters()) flags.put(p.name(), p.trainable());
    Graph g = after.graph();
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) {
      boolean head = Freezing.under(p.name(), layer);
      ps.add(head ? p.withTrainable(true) : p.withTrainable(flags.getOrDefault(p.name(), p.trainable())));
    }
    return new Model(g.with(ps, g.nodes(), g.outputs()));
  }
}
