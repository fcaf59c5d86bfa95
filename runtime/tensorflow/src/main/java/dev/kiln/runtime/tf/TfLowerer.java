package dev.kiln.runtime.tf;

import dev.kiln.compiler.passes.ExpandComposites;
import dev.kiln.runtime.tf.ops.TfEmitter;
import dev.kiln.runtime.tf.ops.TfHandler;
import dev.kiln.runtime.tf.ops.TfHandlers;
import dev.kiln.runtime.train.FusedUpdate;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * Lowers an IR {@link dev.kiln.spec.ir.Graph} to a TensorFlow {@link Graph}: node lowering, by interpreting each
 * op's declarative {@link TfLowering}. Inputs become {@code Placeholder}s (-1 for dynamic dims); parameters become
 * resource variables and a train step's assignments become writes to them ({@link TfVariables}, with fused
 * optimizer kernels from {@link TfFusedUpdates}); each value's layout forms are kept by {@link TfValueForms}.
 */
public final class TfLowerer {
  /**
   * The lowered graph: placeholders by IR input name, variables by parameter name, fetches per output;
   * for training, each variable's read (by parameter name) and the {@code AssignVariableOp}s that store
   * the assigned outputs ({@link #lower(dev.kiln.spec.ir.Graph, Map)}). {@code initOps} assign the parameters their
   * initial values; run them with {@link TfInitializer#run}, which feeds each its value.
   */
  public record Lowered(Graph graph, Map<String, Output<?>> placeholders, Map<String, Output<?>> variables,
                        List<GraphOperation> initOps, List<TfInitializer.Feed> initFeeds, List<Output<?>> outputs,
                        Map<String, Output<?>> reads, List<GraphOperation> assignOps) {}

  static {
    OneDnn.configure();  // before TensorFlow's native library loads
  }

  /** Composite nodes without a TF lowering of their own run their decomposition. */
  private static final java.util.function.Predicate<Node> NO_NATIVE_FORM =
      n -> n.op().tf() == null || !n.op().tf().isSupported() || (n.op().isComposite() && !n.op().tfNative(n));

  private final dev.kiln.spec.ir.Graph ir;
  private final Graph tf;
  private final TfOpBuilder ops;
  /** Each IR value's TF handle, canonical (NCHW) and/or channels-last. */
  private final TfValueForms forms;
  private final Map<Value, String> assignments;
  /** The node computing each value, for peepholes that look one node back. */
  private final Map<Value, Node> producers = new IdentityHashMap<>();
  private final List<FusedUpdate> fused;

  private TfLowerer(dev.kiln.spec.ir.Graph ir, Graph tf, String prefix, Map<Value, String> assignments,
                    List<FusedUpdate> fused) {
    TfSelfCheck.ensureChecked();  // before the first graph: a kernel found wrong is built another way
    this.ir = ir;
    this.tf = tf;
    this.ops = new TfOpBuilder(tf, prefix);
    this.forms = new TfValueForms(ops, ir.name());
    this.assignments = assignments;
    this.fused = fused;
  }

  /**
   * Lowers {@code ir} into a new TF graph, which the caller owns (closes). Throws
   * {@link UnsupportedOpException} listing every op of the graph that has no TF lowering.
   */
  public static Lowered lower(dev.kiln.spec.ir.Graph ir) { return lower(ir, Map.of()); }

  /**
   * Lowers {@code ir} into a new TF graph and stores each value of {@code assignments} (IR value →
   * parameter name, e.g. an optimizer's new weight) into that parameter's variable with an
   * {@code AssignVariableOp}. NOTE: every assignment carries control dependencies on every variable
   * read of the graph, so within one {@code Session.run} all reads see the old values (TF copies a
   * variable's buffer on write while a read still holds it).
   */
  public static Lowered lower(dev.kiln.spec.ir.Graph original, Map<Value, String> assignments) {
    return lower(original, assignments, List.of());
  }

  /**
   * Lowers like {@link #lower(dev.kiln.spec.ir.Graph, Map)}, but each of {@code fused} (rewritten into TF's fused
   * optimizer kernels by {@link TfFusedUpdates}, e.g. {@code ResourceApplyAdam}) replaces the assignments of the
   * variables it updates: its op,
   * with the same control dependencies on every variable read, is in {@link Lowered#assignOps()} instead
   * of their {@code AssignVariableOp}s. The IR nodes computing the replaced new values are still lowered,
   * but TF prunes them from a run that does not fetch them. Every variable it names must be assigned.
   */
  public static Lowered lower(dev.kiln.spec.ir.Graph original, Map<Value, String> assignments, List<FusedUpdate> fused) {
    dev.kiln.spec.ir.Graph ir = original;
    if (ExpandComposites.any(original, NO_NATIVE_FORM)) {
      var ex = ExpandComposites.run(original, NO_NATIVE_FORM);
      ir = ex.graph();
      Map<Value, String> mapped = new IdentityHashMap<>();
      assignments.forEach((v, p) -> mapped.put(ex.get(v), p));
      assignments = mapped;
      fused = fused.stream().map(u -> u.map(ex::get)).toList();
    }
    checkSupported(ir);
    Graph tf = new Graph();
    try {
      return new TfLowerer(ir, tf, "", assignments, fused).run();
    } catch (RuntimeException e) {
      tf.close();
      throw e;
    }
  }

  /**
   * Lowers {@code ir} into an existing TF graph with op names under {@code prefix}, e.g. an evaluation
   * graph beside a train step. Its variables are {@code VarHandleOp}s with the same {@code shared_name}
   * as the first lowering's, so in one session both graphs read the same variables; its
   * {@link Lowered#initOps()} must not be run again (they would reset the values).
   */
  public static Lowered lowerInto(Graph tf, String prefix, dev.kiln.spec.ir.Graph original) {
    dev.kiln.spec.ir.Graph ir = ExpandComposites.any(original, NO_NATIVE_FORM)
        ? ExpandComposites.run(original, NO_NATIVE_FORM).graph() : original;
    checkSupported(ir);
    return new TfLowerer(ir, tf, prefix, Map.of(), List.of()).run();
  }

  /**
   * All ops of the graph declared unsupported on TF, reported at once ({@link UnsupportedOpException});
   * a plain lowering naming a TF op that TF does not have is a mistake in the declaration and is
   * reported as such (a plain {@link KilnException}).
   */
  static void checkSupported(dev.kiln.spec.ir.Graph ir) {
    Set<String> unsupported = new LinkedHashSet<>();
    Set<String> wrong = new LinkedHashSet<>();
    for (Node n : ir.nodes()) {
      TfLowering l = n.op().tf();
      if (l == null) unsupported.add(n.opName() + " (declares no TensorFlow lowering)");
      else if (!l.isSupported()) unsupported.add(n.opName() + " (" + l.unsupportedReason() + ")");
      else if (!l.isCustom() && TfOpBuilder.opDef(l.opType()) == null) wrong.add(n.opName() + " -> '" + l.opType() + "'");
      else if (l.isCustom() && TfHandlers.forOp(n.opName()) == null) wrong.add(n.opName() + " -> handler '" + l.opType() + "' (none registered)");
    }
    if (!wrong.isEmpty()) {
      throw new KilnException("graph " + ir.name() + ": TF lowerings name ops that TensorFlow "
          + org.tensorflow.TensorFlow.version() + " does not have: " + String.join(", ", wrong));
    }
    if (!unsupported.isEmpty()) {
      String opset = ir.metadata().get("onnx.opset");
      Node first = opset == null ? null : ir.nodes().stream().filter(n -> n.op().tf() == null || !n.op().tf().isSupported())
          .findFirst().orElse(null);
      // An imported graph names its first such node as the importer names nodes (name, op, opset).
      String who = first == null ? "" : "node '" + first.output().name() + "' (" + first.opName() + ", opset " + opset + "): ";
      throw new UnsupportedOpException(who + "graph " + ir.name() + " cannot run on TensorFlow; unsupported: "
          + String.join(", ", unsupported));
    }
  }

  /**
   * Lowers a subgraph (a Loop's body) into {@code tf} (the while loop's body graph), reading {@code inputs} for its
   * inputs, and returns its outputs. A body holds no parameters (enclosing values are captured inputs).
   */
  static List<Output<?>> lowerBody(Graph tf, String prefix, dev.kiln.spec.ir.Graph original, List<Output<?>> inputs) {
    dev.kiln.spec.ir.Graph ir = ExpandComposites.any(original, NO_NATIVE_FORM)
        ? ExpandComposites.run(original, NO_NATIVE_FORM).graph() : original;
    checkSupported(ir);
    TfLowerer l = new TfLowerer(ir, tf, prefix, Map.of(), List.of());
    for (int i = 0; i < inputs.size(); i++) l.forms.put(ir.inputs().get(i), inputs.get(i));
    for (Node n : ir.nodes()) for (Value v : n.outputs()) l.producers.put(v, n);
    for (Node n : ir.nodes()) l.lowerNode(n);
    List<Output<?>> outs = new ArrayList<>();
    for (Value v : ir.outputs()) outs.add(l.handle(v));
    return outs;
  }

  private Lowered run() {
    Map<String, Output<?>> placeholders = new LinkedHashMap<>();
    for (Value v : ir.inputs()) {
      DType d = v.type().dtype();
      Output<?> p = ops.op("Placeholder", v.name(), List.of(),
          Map.of("dtype", TfTypes.boundaryType(d), "shape", tfShape(v.type())), null).get(0);
      forms.put(v, TfTypes.needsBitcast(d) ? bitcast(p, TfTypes.dataType(d), v.name() + "/bitcast") : p);
      placeholders.put(v.name(), p);
    }
    TfVariables vars = new TfVariables(ops, ir);
    vars.reads.forEach((name, read) -> forms.put(ir.parameter(name).orElseThrow().value(), read));
    for (Node n : ir.nodes()) for (Value v : n.outputs()) producers.put(v, n);
    for (Node n : ir.nodes()) lowerNode(n);
    List<GraphOperation> assignOps = vars.writes(assignments, fused, this::handle);
    List<Output<?>> outs = new ArrayList<>();
    for (Value v : ir.outputs()) {
      DType d = v.type().dtype();
      outs.add(TfTypes.needsBitcast(d) ? bitcast(handle(v), TfTypes.boundaryType(d), v.name() + "/bitcast") : handle(v));
    }
    return new Lowered(tf, placeholders, vars.handles, vars.inits, vars.initFeeds, outs, vars.reads, assignOps);
  }

  private Output<?> handle(Value v) { return forms.canonical(v); }

  /** Reinterprets the bytes of {@code x} as another type of the same width (int8 ↔ uint8 at the boundary). */
  private Output<?> bitcast(Output<?> x, DataType to, String nameHint) {
    return ops.op("Bitcast", nameHint, List.of(x), Map.of("type", to), null).get(0);
  }

  private Output<?> constant(HostTensor value, String nameHint) {
    return ops.op("Const", nameHint, List.of(), Map.of("value", value, "dtype", value.dtype()), null).get(0);
  }

  private void lowerNode(Node n) {
    TfLowering l = n.op().tf();
    boolean channelsLast = forms.runsChannelsLast(n);
    List<Object> outs;
    try {
      outs = l.isCustom() ? handler(n).emit(new Emitter(n, channelsLast)) : new ArrayList<>(plain(n, l, channelsLast));
    } catch (UnsupportedOpException e) {
      // A custom lowering refusing one configuration (e.g. pooling with dilations): still "unsupported".
      throw new UnsupportedOpException(where(n, l) + ": " + e.getMessage());
    } catch (KilnException e) {
      throw new KilnException(where(n, l) + ": " + e.getMessage(), e);
    }
    if (outs.size() < n.outputs().size()) {
      throw new KilnException(where(n, l) + " made " + outs.size() + " outputs, the IR node has " + n.outputs().size());
    }
    for (int i = 0; i < n.outputs().size(); i++) {
      Value v = n.outputs().get(i);
      boolean last = channelsLast || outs.get(i) instanceof ChannelsLast;
      Output<?> o = outs.get(i) instanceof ChannelsLast c ? c.nhwc() : (Output<?>) outs.get(i);
      checkType(n, l, i, last ? TfValueForms.toChannelsLast(v.type()) : v.type(), o);
      if (last) forms.putChannelsLast(v, o);
      else forms.put(v, o);
    }
  }

  /** The TF back end's handler of {@code n}'s op ({@link TfHandlers}, keyed by op name). */
  private static TfHandler handler(Node n) {
    TfHandler h = TfHandlers.forOp(n.opName());
    if (h == null) throw new KilnException("the TensorFlow back end has no handler for op " + n.opName());
    return h;
  }

  /** An output a custom lowering computed channels-last ({@link TfEmitter#channelsLast}). */
  private record ChannelsLast(Output<?> nhwc) {}

  /**
   * Which node failed to lower, and to what. An imported graph (metadata {@code onnx.opset}) names the node as the
   * importer does, {@code node 'NAME' (OP, opset N)}, so a failure reads the same whichever stage found it.
   */
  private String where(Node n, TfLowering l) {
    String to = "to TensorFlow " + (l.isCustom() ? "handler " : "op ") + l.opType();
    String opset = ir.metadata().get("onnx.opset");
    if (opset != null) return "node '" + n.output().name() + "' (" + n.opName() + ", opset " + opset + "): lowering " + to;
    return "lowering " + n.opName() + " (node " + n.output().name() + ") " + to;
  }

  /** One TF op: the node's inputs, then attributes passed as inputs; mapped, constant and inferred attributes. */
  private List<Output<?>> plain(Node n, TfLowering l, boolean channelsLast) {
    List<Output<?>> in = new ArrayList<>();
    int last = n.inputs().size();
    while (last > 0 && n.inputs().get(last - 1) == null) last--;
    for (int i = 0; i < last; i++) {
      Value v = n.inputs().get(i);
      if (v == null) throw new KilnException("input " + i + " is absent; a plain TF lowering cannot skip inputs (use a custom one)");
      in.add(channelsLast ? forms.channelsLastOperand(v) : handle(v));
    }
    for (Map.Entry<String, DType> e : l.attrInputs().entrySet()) {
      in.add(constant(attrTensor(n, e.getKey(), e.getValue()), n.output().name() + "/" + e.getKey()));
    }
    Map<String, Object> attrs = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : l.attrNames().entrySet()) {
      if (!n.attrs().has(e.getKey())) continue;
      attrs.put(e.getValue(), l.converter(e.getKey()).apply(n.attrs().get(e.getKey())));
    }
    attrs.putAll(l.constAttrs());
    List<DType> outTypes = n.outputs().stream().map(v -> v.type().dtype()).toList();
    return ops.op(l.opType(), n.output().name(), in, attrs, outTypes);
  }

  private static HostTensor attrTensor(Node n, String name, DType dtype) {
    Object v = n.attrs().get(name);
    if (v instanceof Number x) return HostTensor.scalar(dtype, x.doubleValue());
    if (v instanceof long[] xs) {
      double[] d = new double[xs.length];
      for (int i = 0; i < xs.length; i++) d[i] = xs[i];
      return HostTensor.fromDoubles(dtype, d, xs.length);
    }
    if (v instanceof double[] xs) return HostTensor.fromDoubles(dtype, xs, xs.length);
    if (v instanceof HostTensor t) return t;
    throw new KilnException("attribute '" + name + "' (" + v.getClass().getSimpleName() + ") cannot be passed as a tensor input");
  }

  /** The TF output must have the IR dtype, and every dim TF knows statically must match a static IR dim. */
  private void checkType(Node n, TfLowering l, int i, TensorType want, Output<?> o) {
    DataType got = o.dataType();
    if (got != TfTypes.dataType(want.dtype())) {
      throw new KilnException(where(n, l) + ": output " + i + " is " + got + ", the IR expects " + want);
    }
    Shape s = o.shape();
    if (s.isUnknown()) return;
    boolean ok = s.numDimensions() == want.rank();
    for (int k = 0; ok && k < want.rank(); k++) {
      Dim d = want.shape().dim(k);
      ok = !d.isStatic() || s.get(k) < 0 || s.get(k) == d.size();
    }
    if (!ok) throw new KilnException(where(n, l) + ": output " + i + " has TF shape " + s + ", the IR expects " + want);
  }

  static Shape tfShape(TensorType t) {
    long[] dims = new long[t.rank()];
    for (int i = 0; i < dims.length; i++) {
      Dim d = t.shape().dim(i);
      dims[i] = d.isStatic() ? d.size() : Shape.UNKNOWN_SIZE;
    }
    return Shape.of(dims);
  }

  /** The {@link TfEmitter} a custom lowering writes through; handles are TF-Java {@link Output}s. */
  private final class Emitter implements TfEmitter {
    private final Node node;
    private final boolean allChannelsLast;

    /** {@code allChannelsLast}: a pointwise node run channels-last, whose inputs are all given in that form. */
    Emitter(Node node, boolean allChannelsLast) {
      this.node = node;
      this.allChannelsLast = allChannelsLast;
    }

    @Override public Node node() { return node; }

    @Override public Object input(int i) {
      Value v = node.inputs().get(i);
      return v == null ? null : allChannelsLast ? forms.channelsLastOperand(v) : handle(v);
    }

    @Override public Object inputChannelsLast(int i) {
      if (!forms.channelsLastLayout()) return TfEmitter.super.inputChannelsLast(i);
      Value v = node.inputs().get(i);
      if (v.type().rank() != 4) throw new KilnException("input " + i + " of " + node.opName() + " is not rank 4: " + v.type());
      return forms.channelsLast(v);
    }

    @Override public Object channelsLast(Object nhwc) {
      if (!forms.channelsLastLayout()) return TfEmitter.super.channelsLast(nhwc);
      if (allChannelsLast) throw new KilnException("a pointwise lowering run channels-last must not mark outputs");
      return new ChannelsLast((Output<?>) nhwc);
    }

    @Override public Object inputBeforeSwapLast(int i) {
      Value v = node.inputs().get(i);
      Node p = v == null ? null : producers.get(v);
      if (p == null || !p.opName().equals("Transpose")) return null;
      int r = v.type().rank();
      long[] perm = dev.kiln.spec.ops.Transpose.permFor(p.attrs().getLongs("perm"), r);
      if (r < 2 || perm[r - 2] != r - 1 || perm[r - 1] != r - 2) return null;
      for (int k = 0; k < r - 2; k++) if (perm[k] != k) return null;
      return handle(p.inputs().get(0));
    }

    @Override public boolean onlyChannelsLast(int i) {
      Value v = node.inputs().get(i);
      return v != null && forms.onlyChannelsLast(v);
    }

    @Override public Object constant(HostTensor value) { return TfLowerer.this.constant(value, node.output().name() + "/const"); }

    @Override public List<Object> whileLoop() {
      List<Output<?>> in = new ArrayList<>();
      for (Value v : node.inputs()) in.add(handle(v));
      return new ArrayList<>(TfWhileLoop.lower(tf, ops, node, in));
    }

    @Override public List<Object> op(String tfOpType, List<Object> inputs, Map<String, Object> attrs, int outputs) {
      List<Output<?>> in = new ArrayList<>();
      for (Object o : inputs) in.add((Output<?>) o);
      List<Output<?>> outs = ops.op(tfOpType, node.output().name() + "/" + tfOpType, in, attrs, null);
      if (outs.size() < outputs) throw new KilnException("TF op " + tfOpType + " has " + outs.size() + " outputs, not " + outputs);
      return new ArrayList<>(outs.subList(0, outputs));
    }
  }
}
