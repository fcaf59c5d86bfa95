package dev.kiln.interop.transfer;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Transfer learning on an imported (or any) IR graph: cut it at a value, keep only what that value
 * depends on (the "base"), and continue from it in the DSL with a new head. The result is an ordinary
 * {@link Model}, so {@code dev.kiln.runtime.train.Trainer} trains it and {@code dev.kiln.compiler.onnx.OnnxExporter} exports its graph.
 *
 * <pre>{@code
 * Graph base = OnnxImporter.importFile(path, ImportOptions.defaults());
 * Model m = Transfer.from(base).cutAt("features")
 *     .head("classifier", (mb, f) -> mb.linear("head", f, 10));   // base frozen, head trainable
 * // ... train m; then fine-tune everything, typically with a lower learning rate:
 * Model all = Transfer.unfreeze(trainedModel);
 * List<String> missing = Transfer.withoutGradient(all.graph());   // ops that stop gradients
 * }</pre>
 */
public final class Transfer {
  private final Graph base;
  private final String cut;
  private final boolean trainBase;
  private final long seed;

  private Transfer(Graph base, String cut, boolean trainBase, long seed) {
    this.base = base;
    this.cut = cut;
    this.trainBase = trainBase;
    this.seed = seed;
  }

  /** Starts from {@code base} (its parameters' values are kept; their trainable flags are set by {@link #trainBase}). */
  public static Transfer from(Graph base) { return new Transfer(base, null, false, Model.DEFAULT_SEED); }

  /** The value (by name, as in {@link Graph#toText()} or the ONNX file) the head continues from. */
  public Transfer cutAt(String valueName) { return new Transfer(base, valueName, trainBase, seed); }

  /** Whether the base's parameters train with the head (default false: the base is frozen). */
  public Transfer trainBase(boolean train) { return new Transfer(base, cut, train, seed); }

  /** The seed the head's parameters are initialised from (default {@link Model#DEFAULT_SEED}). */
  public Transfer seed(long s) { return new Transfer(base, cut, trainBase, s); }

  /**
   * The model: the base up to the cut value (its inputs, the parameters and nodes the value depends on,
   * names kept), then {@code head} given the builder and the cut value; what {@code head} returns is the
   * model's output {@code "output"} (or it declares outputs itself and returns null).
   */
  public Model head(String name, BiFunction<ModelBuilder, Tensor<?>, ? extends Tensor<?>> head) {
    if (cut == null) throw new KilnException("Transfer: choose the value to cut at with cutAt(name) first");
    Value cutValue = find(base, cut);
    Set<Node> needed = ancestors(base, cutValue);
    Set<String> usedValues = new HashSet<>();
    for (Node n : needed) for (Value v : n.inputs()) usedValues.add(v.name());
    usedValues.add(cutValue.name());
    return Model.build(name, seed, mb -> {
      GraphBuilder g = mb.graph();
      Map<String, Value> map = new HashMap<>();
      for (Value in : base.inputs()) if (usedValues.contains(in.name())) map.put(in.name(), g.input(in.name(), in.type()));
      for (Parameter p : base.parameters()) {
        if (usedValues.contains(p.name())) map.put(p.name(), g.parameter(p.name(), p.initial(), trainBase, p.initializer()));
      }
      for (Node n : base.nodes()) {
        if (!needed.contains(n)) continue;
        List<Value> ins = new ArrayList<>();
        for (Value v : n.inputs()) ins.add(map.get(v.name()));
        Node copy = g.copy(n, ins);
        for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i).name(), copy.outputs().get(i));
      }
      return head.apply(mb, mb.tensor(map.get(cutValue.name())));
    });
  }

  /** {@code m} with every parameter trainable (fine-tuning all layers after training the head). */
  public static Model unfreeze(Model m) {
    Graph g = m.graph();
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) ps.add(p.withTrainable(true));
    return new Model(g.with(ps, g.nodes(), g.outputs()));
  }

  /**
   * The nodes between a trainable parameter and an output whose op has no gradient rule (or declares
   * itself not differentiable), as {@code "Op (value name)"}: training would not reach the parameters
   * behind them. Empty when every trainable parameter gets a gradient through every path.
   */
  public static List<String> withoutGradient(Graph g) {
    Set<String> fromTrainable = new HashSet<>();
    for (Parameter p : g.parameters()) if (p.trainable()) fromTrainable.add(p.name());
    Set<Node> toOutput = new HashSet<>();
    for (Value out : g.outputs()) toOutput.addAll(ancestors(g, out));
    List<String> report = new ArrayList<>();
    for (Node n : g.nodes()) {
      boolean reached = n.inputs().stream().anyMatch(v -> fromTrainable.contains(v.name()));
      if (!reached) continue;
      for (Value o : n.outputs()) fromTrainable.add(o.name());
      Vjp vjp = n.op().vjp();
      if (toOutput.contains(n) && (vjp == null || vjp == Vjp.NOT_DIFFERENTIABLE)) report.add(n.opName() + " (" + n.output().name() + ")");
    }
    return report;
  }

  private static Value find(Graph g, String name) {
    for (Value v : g.inputs()) if (v.name().equals(name)) return v;
    for (Parameter p : g.parameters()) if (p.name().equals(name)) return p.value();
    for (Node n : g.nodes()) for (Value v : n.outputs()) if (v.name().equals(name)) return v;
    List<String> some = new ArrayList<>();
    for (Node n : g.nodes()) if (some.size() < 20) some.add(n.output().name());
    throw new KilnException("Transfer: graph '" + g.name() + "' has no value named '" + name + "'; node outputs include " + some);
  }

  /** The nodes {@code v} depends on (transitively), itself's producer included. */
  private static Set<Node> ancestors(Graph g, Value v) {
    Map<String, Node> producer = new HashMap<>();
    for (Node n : g.nodes()) for (Value o : n.outputs()) producer.put(o.name(), n);
    Set<Node> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(v.name()));
    while (!todo.isEmpty()) {
      Node n = producer.get(todo.pop());
      if (n == null || !seen.add(n)) continue;
      for (Value in : n.inputs()) todo.push(in.name());
    }
    return seen;
  }
}
