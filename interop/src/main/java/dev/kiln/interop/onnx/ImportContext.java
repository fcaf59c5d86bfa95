package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one import: every ONNX value name bound either to an IR {@link Value} or to a constant
 * {@link HostTensor} (initializers, Constant nodes and folded shape computations). Constants stay on the
 * host until a node needs them as data: initializers then become parameters, other constants Constant
 * nodes. Node importers read inputs and attributes of the current node through it.
 */
public final class ImportContext {
  /** Folding stops above this many elements, so a hostile model cannot make the importer allocate freely. */
  static final long MAX_FOLD_ELEMENTS = 1_000_000;

  private final GraphBuilder builder;
  private final int opset;
  private final ImportOptions options;
  private final Map<String, Object> env = new HashMap<>();
  /** Initializer tensors by identity to their names: they become parameters, other constants Constant nodes. */
  private final Map<HostTensor, String> initializers = new IdentityHashMap<>();
  private final Map<HostTensor, Value> materialized = new IdentityHashMap<>();
  private NodeProto node;

  ImportContext(GraphBuilder builder, int opset, ImportOptions options) {
    this.builder = builder;
    this.opset = opset;
    this.options = options;
  }

  /** The default-domain opset the model imports. */
  public int opset() { return opset; }

  /** The builder of the IR graph (for importers that add several nodes). */
  public GraphBuilder builder() { return builder; }

  /** The node being imported. */
  public NodeProto node() { return node; }

  void setNode(NodeProto n) { node = n; }

  void bindInput(String name, Value v) { env.put(name, v); }

  void bindInitializer(String name, HostTensor t) {
    env.put(name, t);
    initializers.put(t, name);
  }

  boolean isBound(String name) { return env.containsKey(name); }

  /** Number of inputs the node lists (empty names included). */
  public int inputCount() { return node.getInputCount(); }

  /** Whether input {@code i} is given (present and not the empty name ONNX uses for "left out"). */
  public boolean hasInput(int i) { return i < node.getInputCount() && !node.getInput(i).isEmpty(); }

  /** Input {@code i} as bound: a {@link Value} or a constant {@link HostTensor}; null when left out. */
  public Object in(int i) { return hasInput(i) ? lookup(node.getInput(i)) : null; }

  /** Value bound to an ONNX name: a Value or a HostTensor. */
  Object lookup(String name) {
    Object o = env.get(name);
    if (o == null) throw fail("input '" + name + "' is not defined by any graph input, initializer or earlier node");
    return o;
  }

  /** The constant value of input {@code i}, or null when it is computed at run time or left out. */
  public HostTensor constant(int i) { return in(i) instanceof HostTensor t ? t : null; }

  /** The constant value of input {@code i}; an unsupported-form error when it is not constant. */
  public HostTensor requireConstant(int i, String what) {
    if (!hasInput(i)) throw fail("input " + i + " (" + what + ") is required");
    HostTensor t = constant(i);
    if (t == null) throw unsupported("input " + i + " (" + what + ") must be a constant or an initializer, it is computed at run time");
    return t;
  }

  /** Input {@code i} as an IR value (constants become parameters or Constant nodes); null when left out. */
  public Value value(int i) { return hasInput(i) ? toValue(in(i)) : null; }

  /** A bound object as an IR value. */
  public Value toValue(Object o) {
    if (o == null || o instanceof Value) return (Value) o;
    if (DynamicShapes.isDynamic(o)) {
      throw unsupported("a shape computed from a dim known only at run time (" + o + ") is used as data; Kiln folds such shapes only into Reshape targets and zero initial states");
    }
    HostTensor t = (HostTensor) o;
    Value v = materialized.get(t);
    if (v != null) return v;
    String initName = initializers.get(t);
    v = initName != null
        ? builder.parameter(initName, t, options.isTrainable(initName), "onnx initializer")
        : builder.apply1("Constant", Attrs.of("value", t));
    materialized.put(t, v);
    return v;
  }

  /** Binds output {@code i} of the node to a value or a constant. */
  public void define(int i, Object valueOrConstant) {
    if (i >= node.getOutputCount() || node.getOutput(i).isEmpty()) return; // optional output left out
    env.put(node.getOutput(i), valueOrConstant);
  }

  /** Binds the node's first output. */
  public void define(Object valueOrConstant) { define(0, valueOrConstant); }

  /**
   * Applies an IR op to inputs that are Values or constant HostTensors. When every input is constant
   * and the op has a folder, the result is computed on the host and stays a constant.
   */
  public List<Object> apply(String opName, Attrs attrs, Object... inputs) {
    String local = node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0) : null;
    return applyNamed(local, opName, attrs, inputs);
  }

  /**
   * Like {@link #apply} for an intermediate step of a node that imports as several IR nodes: named
   * {@code <output>/<op>} so the node's ONNX output name stays free for its final value.
   */
  public Object step(String opName, Attrs attrs, Object... inputs) {
    String base = node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0) : "tmp";
    return applyNamed(base + "/" + opName.toLowerCase(java.util.Locale.ROOT), opName, attrs, inputs).get(0);
  }

  private List<Object> applyNamed(String local, String opName, Attrs attrs, Object... inputs) {
    Op op = OpRegistry.get(opName);
    boolean allConst = inputs.length > 0;
    for (Object o : inputs) allConst &= o instanceof HostTensor t && t.size() <= MAX_FOLD_ELEMENTS;
    Folder folder = op.folder();
    if (allConst && folder != null) {
      List<HostTensor> in = new ArrayList<>();
      for (Object o : inputs) in.add((HostTensor) o);
      List<HostTensor> folded = foldWith(op, folder, in, attrs);
      if (folded != null) return new ArrayList<>(folded);
    }
    List<Value> vals = new ArrayList<>();
    for (Object o : inputs) vals.add(toValue(o));
    try {
      return new ArrayList<>(builder.applyNamed(op, vals, attrs, local));
    } catch (ShapeException e) {
      throw fail(e.getMessage().lines().findFirst().orElse(e.getMessage()));
    }
  }

  /** Applies an op with one output. */
  public Object apply1(String opName, Attrs attrs, Object... inputs) { return apply(opName, attrs, inputs).get(0); }

  private List<HostTensor> foldWith(Op op, Folder folder, List<HostTensor> in, Attrs attrs) {
    try {
      // The type rule runs first so that folding never skips a check the graph would have made.
      var types = new ArrayList<dev.kiln.spec.TensorType>();
      for (HostTensor t : in) types.add(t.type());
      Attrs complete = attrs;
      for (var s : op.signature().attrs()) if (!complete.has(s.name()) && !s.isRequired()) complete = complete.with(s.name(), s.defaultValue());
      op.inferTypes(types, complete);
      // Interim (the next commit folds symbolic values too): constants through Folding.fold.
      List<dev.kiln.spec.op.Folded> res = dev.kiln.spec.op.Folding.fold(op, in.stream().map(dev.kiln.spec.op.Folded::of).toList(), complete);
      if (res == null) return null;
      List<HostTensor> out = new ArrayList<>();
      for (var r : res) {
        if (r.constant() == null) return null;
        out.add(r.constant());
      }
      return out;
    } catch (ShapeException | ArithmeticException | IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
  }

  /** The node's attribute {@code name}, or null. */
  public AttributeProto attr(String name) {
    for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
    return null;
  }

  /** An int attribute, or {@code dflt}. */
  public long attrInt(String name, long dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : ProtoAttrs.toLong(a, this);
  }

  /** An ints attribute, or {@code dflt}. */
  public long[] attrInts(String name, long[] dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : ProtoAttrs.toLongs(a, this);
  }

  /** A float attribute, or {@code dflt}. */
  public double attrFloat(String name, double dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : ProtoAttrs.toDouble(a, this);
  }

  /** A string attribute, or {@code dflt}. */
  public String attrString(String name, String dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : a.getS().toStringUtf8();
  }

  /** Rejects attributes other than {@code known} (an unsupported form rather than a silent misreading). */
  public void onlyAttrs(String... known) {
    outer:
    for (AttributeProto a : node.getAttributeList()) {
      for (String k : known) if (k.equals(a.getName())) continue outer;
      if (isLegacyHint(a)) continue;
      throw unsupported("attribute '" + a.getName() + "' is not supported");
    }
  }

  /**
   * Whether attribute {@code a} is {@code consumed_inputs}, a memory-reuse hint of opsets 1..5 with no
   * effect on the result (removed in opset 6), which the importer skips.
   */
  boolean isLegacyHint(AttributeProto a) { return opset < 7 && a.getName().equals("consumed_inputs"); }

  private String where() {
    return "node '" + (node.getName().isEmpty() ? (node.getOutputCount() > 0 ? node.getOutput(0) : "?") : node.getName())
        + "' (" + node.getOpType() + ", opset " + opset + ")";
  }

  /** A malformed-model error naming the node, its op and the opset. */
  public ModelFileException fail(String what) { return new ModelFileException(where() + ": " + what); }

  /** An unsupported-form error naming the node, its op and the opset. */
  public UnsupportedOpException unsupported(String what) { return new UnsupportedOpException(where() + ": " + what); }

  /** Wraps a KilnException from elsewhere with the node's position. */
  KilnException wrap(KilnException e) {
    if (e instanceof UnsupportedOpException || (e.getMessage() != null && e.getMessage().startsWith("node '"))) return e;
    if (e instanceof ModelFileException || e instanceof ShapeException) return fail(e.getMessage());
    return new KilnException(where() + ": " + e.getMessage(), e);
  }
}
