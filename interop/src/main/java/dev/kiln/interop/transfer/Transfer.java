package dev.kiln.interop.transfer;

import dev.kiln.dsl.Model;
import dev.kiln.dsl.DataType;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
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
 * Transfer.candidates(base).forEach(System.out::println);          // where to cut, nearest the output first
 * Model resnet = Transfer.replaceHead(ResNet18.build(...), 10);    // same names, a new 10-class fc
 * Model tuned = Transfer.unfreeze(Transfer.freeze(resnet, "conv1", "bn1", "layer1"), "layer1.1");
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
   * names kept), then {@code head} given the builder and the cut value. What {@code head} returns becomes the
   * model's output under the base's output name (e.g. {@code logits}; {@code output} when the base has several),
   * or {@code head} declares outputs itself and returns null. A training-form base (batch norm naming its running
   * statistics, dropout) stays one: the running statistics and their state updates come along, never trainable.
   */
  public Model head(String name, BiFunction<ModelBuilder, Tensor<?>, ? extends Tensor<?>> head) {
    if (cut == null) throw new KilnException("Transfer: choose the value to cut at with cutAt(name) first");
    Value cutValue = CutPoints.find(base, cut);
    Set<Node> needed = ancestors(base, cutValue);
    Set<String> state = StateParameters.of(base);
    // The running statistics the kept batch norms name in attributes, and the nodes computing their updates.
    Set<String> attrParams = StateParameters.namedInAttributes(needed);
    Map<String, Value> updates = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Value> u : TrainingForm.updates(base).entrySet()) {
      if (attrParams.contains(u.getKey())) {
        updates.put(u.getKey(), u.getValue());
        needed.addAll(ancestors(base, u.getValue()));
      }
    }
    Set<String> usedValues = new HashSet<>(attrParams);
    for (Node n : needed) for (Value v : n.inputs()) if (v != null) usedValues.add(v.name());
    usedValues.add(cutValue.name());
    List<Value> baseOutputs = base.outputs().stream().filter(v -> !TrainingForm.isUpdate(v)).toList();
    String outputName = baseOutputs.size() == 1 ? baseOutputs.get(0).name() : "output";
    return Model.build(name, seed, mb -> {
      GraphBuilder g = mb.graph();
      Map<String, Value> map = new HashMap<>();
      for (Value in : base.inputs()) if (usedValues.contains(in.name())) map.put(in.name(), g.input(in.name(), in.type()));
      for (Parameter p : base.parameters()) {
        if (!usedValues.contains(p.name())) continue;
        boolean train = trainBase && !state.contains(p.name());
        map.put(p.name(), g.parameter(p.name(), p.initial(), train, p.initializer()));
      }
      for (Node n : base.nodes()) {
        if (!needed.contains(n)) continue;
        List<Value> ins = new ArrayList<>();
        for (Value v : n.inputs()) ins.add(v == null ? null : map.get(v.name()));
        Node copy = g.copy(n, ins);
        for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i).name(), copy.outputs().get(i));
      }
      for (Map.Entry<String, Value> u : updates.entrySet()) {
        TrainingForm.recordUpdate(g, map.get(u.getKey()), map.get(u.getValue().name()));
      }
      Tensor<?> out = head.apply(mb, mb.tensor(map.get(cutValue.name())));
      if (out != null) mb.output(outputName, out);
      return null;
    });
  }

  /**
   * As {@link #head(String, BiFunction)} with the cut value typed: {@code dtype} must be its dtype (checked here,
   * so the lambda needs no cast).
   */
  public <T> Model head(String name, DataType<T> dtype, BiFunction<ModelBuilder, Tensor<T>, ? extends Tensor<?>> head) {
    if (cut == null) throw new KilnException("Transfer: choose the value to cut at with cutAt(name) first");
    Value v = CutPoints.find(base, cut);
    if (v.type().dtype() != dtype.dtype()) {
      throw new KilnException("Transfer: cut value '" + cut + "' is " + v.type() + ", not " + dtype.dtype().name().toLowerCase(java.util.Locale.ROOT));
    }
    return head(name, (mb, t) -> {
      @SuppressWarnings("unchecked") Tensor<T> typed = (Tensor<T>) t;  // dtype checked above
      return head.apply(mb, typed);
    });
  }

  /** Where {@code g} can be cut, nearest the output first (name, op, type); see {@link CutPoints#of}. */
  public static List<CutPoints.CutPoint> candidates(Graph g) { return CutPoints.of(g); }

  /**
   * {@code m} with every parameter trainable (fine-tuning all layers after training the head), except state such as
   * batch norm's running statistics, which is never trained.
   */
  public static Model unfreeze(Model m) { return Freezing.set(m, true, List.of()); }

  /**
   * {@code m} with the parameters under the given prefixes trainable (a prefix matches a parameter name equal to it
   * or starting with it and a dot: {@code layer4} matches {@code layer4.0.conv1.weight}, not {@code layer40.w}).
   */
  public static Model unfreeze(Model m, String... prefixes) { return Freezing.set(m, true, requirePrefixes(prefixes)); }

  /** {@code m} with the parameters under the given prefixes frozen; see {@link #unfreeze(Model, String...)}. */
  public static Model freeze(Model m, String... prefixes) { return Freezing.set(m, false, requirePrefixes(prefixes)); }

  private static List<String> requirePrefixes(String... prefixes) {
    if (prefixes.length == 0) throw new KilnException("freeze/unfreeze: name at least one parameter prefix (unfreeze(model) unfreezes all)");
    return List.of(prefixes);
  }

  /**
   * {@code m} with its classifier replaced by a new one for {@code classes} classes: the last dense layer before the
   * output (a 2-D {@code NAME.weight} multiplied into it) is cut off and a fresh {@code Linear} of the same name takes
   * its place, so a state_dict that matched before still matches except for the head. Other parameters keep their
   * trainable flags and values; the output keeps its name.
   */
  public static Model replaceHead(Model m, int classes) { return Heads.replace(m, classes, Model.DEFAULT_SEED); }

  /** As {@link #replaceHead(Model, int)}, initialising the new head from {@code seed}. */
  public static Model replaceHead(Model m, int classes, long seed) { return Heads.replace(m, classes, seed); }

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

  /** The nodes {@code v} depends on (transitively), itself's producer included. */
  static Set<Node> ancestors(Graph g, Value v) {
    Map<String, Node> producer = new HashMap<>();
    for (Node n : g.nodes()) for (Value o : n.outputs()) producer.put(o.name(), n);
    Set<Node> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(v.name()));
    while (!todo.isEmpty()) {
      Node n = producer.get(todo.pop());
      if (n == null || !seen.add(n)) continue;
      for (Value in : n.inputs()) if (in != null) todo.push(in.name());
    }
    return seen;
  }
}
