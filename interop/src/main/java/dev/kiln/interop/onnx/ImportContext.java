package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.Folding;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one import: every ONNX value name bound to an IR {@link Value}, a constant {@link HostTensor}
 * (initializers, Constant nodes and folded computations) or a {@link Symbolic} value (a folded shape
 * computation with symbolic entries, such as {@code Shape(x)} of an {@code f32[batch, 64]} x). Every op
 * applied through {@link #apply} is first offered to its own folder ({@link Folding#fold}, the mechanism
 * the compiler's constant folding uses too); what folds stays on the host. Constants become parameters
 * (initializers) or Constant nodes, and symbolic values the IR nodes that compute them, only when a node
 * needs them as data. Node importers read inputs and attributes of the current node through it.
 */
public final class ImportContext implements OpTarget<Object> {
  /** Folding stops above this many elements, so a hostile model cannot make the importer allocate freely. */
  static final long MAX_FOLD_ELEMENTS = Folding.MAX_ELEMENTS;

  /**
   * A folded value that is not a constant ({@link Folded.ShapeValue} or {@link Folded.Fill}), with the op
   * application that computes it at run time: built into the graph (inputs first) only if a consumer cannot
   * fold it and needs it as data, so a shape computation that folds into a Reshape target leaves no node.
   */
  public static final class Symbolic {
    private final Folded value;
    private final Recipe recipe;
    private final int output;

    private Symbolic(Folded value, Recipe recipe, int output) {
      this.value = value;
      this.recipe = recipe;
      this.output = output;
    }

    /** What folding knows of the value. */
    public Folded value() { return value; }

    @Override public String toString() { return value.toString(); }
  }

  /** One op application whose outputs folded to symbolic values; its nodes are added on first use as data. */
  private static final class Recipe {
    final Op op;
    final Attrs attrs;
    final Object[] inputs;
    final String local;
    List<Value> built;

    Recipe(Op op, Attrs attrs, Object[] inputs, String local) {
      this.op = op;
      this.attrs = attrs;
      this.inputs = inputs.clone();
      this.local = local;
    }
  }

  private final GraphBuilder builder;
  private final int opset;
  private final ImportOptions options;
  private final Map<String, Object> env = new HashMap<>();
  /** Initializer tensors by identity to their names: they become parameters, other constants Constant nodes. */
  private final Map<HostTensor, String> initializers = new IdentityHashMap<>();
  private final Map<HostTensor, Value> materialized = new IdentityHashMap<>();
  private NodeProto node;
  /** The context of the enclosing graph when this one imports a subgraph (If's branch, a Loop's body), else null. */
  private final ImportContext parent;
  /** How many subgraphs enclose this one (0 at top level). */
  private final int depth;
  /** The enclosing values this subgraph reads, in the order their inputs were added to {@link #builder}. */
  private final List<Value> captures = new ArrayList<>();

  ImportContext(GraphBuilder builder, int opset, ImportOptions options) {
    this(builder, opset, options, null, 0);
  }

  private ImportContext(GraphBuilder builder, int opset, ImportOptions options, ImportContext parent, int depth) {
    this.builder = builder;
    this.opset = opset;
    this.options = options;
    this.parent = parent;
    this.depth = depth;
  }

  /** A context importing a subgraph of the current node into {@code b}; names it does not define resolve here. */
  ImportContext child(GraphBuilder b) {
    if (depth + 1 > dev.kiln.spec.op.Subgraphs.MAX_NESTING) {
      throw fail("subgraphs nest deeper than " + dev.kiln.spec.op.Subgraphs.MAX_NESTING + " levels");
    }
    return new ImportContext(b, opset, options, this, depth + 1);
  }

  /** The enclosing values this subgraph reads (its trailing inputs, in order). */
  List<Value> captures() { return List.copyOf(captures); }

  /** The import options. */
  ImportOptions options() { return options; }

  /** Whether {@code name} is bound here or in an enclosing graph (an outer-scope reference a subgraph may make). */
  boolean visible(String name) { return env.containsKey(name) || (parent != null && parent.visible(name)); }

  /** Binds a subgraph's own initializer: a constant of the body (a weight there becomes a Constant node). */
  void bindConstant(String name, HostTensor t) { env.put(name, t); }

  /**
   * Resolves an outer-scope reference of a subgraph: a folding constant is used as it is; anything else (a run-time
   * value, a weight, a symbolic value) becomes an enclosing {@link Value} that the body reads as a new trailing input.
   */
  private Object capture(String name) {
    Object o = parent.lookup(name);
    if (o instanceof HostTensor t && !parent.isWeight(t)) {
      env.put(name, t);
      return t;
    }
    Value outer = parent.toValue(o);
    String local = name;
    for (int i = 1; builder.isUsed(local); i++) local = name + "_" + i;
    Value inner = builder.input(local, outer.type());
    captures.add(outer);
    env.put(name, inner);
    return inner;
  }

  private boolean isWeight(HostTensor t) { return initializers.containsKey(t) && t.dtype().isFloating(); }

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

  /**
   * Rewrites the node being imported so that its input {@code i} reads {@code value} (bound under a fresh
   * name) and the attributes {@code dropAttrs} are gone: for importers that normalise a legacy form and then
   * hand the node to the modern importer.
   */
  void withInput(int i, Object value, String... dropAttrs) {
    String name = node.getInput(i) + "/" + node.getOpType().toLowerCase(java.util.Locale.ROOT) + "_input" + i;
    env.put(name, value);
    NodeProto.Builder nb = node.toBuilder().setInput(i, name).clearAttribute();
    java.util.Set<String> drop = java.util.Set.of(dropAttrs);
    for (AttributeProto a : node.getAttributeList()) if (!drop.contains(a.getName())) nb.addAttribute(a);
    node = nb.build();
  }

  /** Number of inputs the node lists (empty names included). */
  public int inputCount() { return node.getInputCount(); }

  /** Whether input {@code i} is given (present and not the empty name ONNX uses for "left out"). */
  public boolean hasInput(int i) { return i < node.getInputCount() && !node.getInput(i).isEmpty(); }

  /** Input {@code i} as bound: a {@link Value}, a constant {@link HostTensor} or a {@link Symbolic} value; null when left out. */
  public Object in(int i) { return hasInput(i) ? lookup(node.getInput(i)) : null; }

  /** Value bound to an ONNX name: a Value, a HostTensor or a Symbolic value. */
  Object lookup(String name) {
    Object o = env.get(name);
    if (o == null && parent != null && parent.visible(name)) return capture(name);
    if (o == null) throw fail("input '" + name + "' is not defined by any graph input, initializer or earlier node");
    if (o instanceof Refused r) throw new UnsupportedOpException(r.reason());
    return o;
  }

  /**
   * An output the importer cannot compute, bound so that only a use of it fails: with the reason, naming the node
   * that made it (a model that never reads it imports).
   */
  private record Refused(String reason) {}

  /** Binds output {@code i} to a refusal: reading it (a later node, a graph output) fails with {@code why}. */
  public void refuse(int i, String why) {
    if (i >= node.getOutputCount() || node.getOutput(i).isEmpty()) return;
    env.put(node.getOutput(i), new Refused(where() + ": output " + i + " ('" + node.getOutput(i) + "'): " + why));
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

  /** A bound object's type: a value's, a constant's, or what folding knows of a symbolic value. */
  public static TensorType typeOf(Object o) {
    if (o instanceof Value v) return v.type();
    if (o instanceof HostTensor t) return t.type();
    return ((Symbolic) o).value().type();
  }

  /**
   * What folding knows of input {@code i}: a constant (unless too large, or a floating initializer), a shape
   * value or fill, or a run-time value's type; null when left out.
   */
  public Folded folded(int i) { return hasInput(i) ? folded(in(i)) : null; }

  private Folded folded(Object o) {
    if (o instanceof Symbolic s) return s.value();
    if (o instanceof HostTensor t) {
      // NOTE: a floating initializer is a weight: it stays a parameter (trainable, transferable, bound by name)
      // rather than folding into a constant. Integer initializers (shapes, axes, indices) fold.
      boolean weight = isWeight(t);
      return t.size() <= MAX_FOLD_ELEMENTS && !weight ? Folded.of(t) : Folded.runTime(t.type());
    }
    return Folded.runTime(((Value) o).type());
  }

  /** A bound object as an IR value: constants become parameters or Constant nodes, symbolic values their nodes. */
  public Value toValue(Object o) {
    if (o == null || o instanceof Value) return (Value) o;
    if (o instanceof Symbolic s) return build(s.recipe).get(s.output);
    HostTensor t = (HostTensor) o;
    Value v = materialized.get(t);
    if (v != null) return v;
    String initName = initializers.get(t);
    v = initName != null
        ? builder.parameter(initName, t, options.isTrainable(initName), "onnx initializer")
        : Ops.constant(builder, t);
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
   * Applies an IR op (through the facade: {@code Ops.reshape(c, x, shape)}) to inputs that are Values, constant
   * HostTensors or Symbolic values. The op's folder is tried first ({@link Folding#fold}): a result it computes
   * stays on the host, as a HostTensor when constant or a {@link Symbolic} value when it has symbolic entries;
   * otherwise the op is added to the graph, its inputs made values first. A type error is a malformed-model error
   * naming the node. The outputs are named after the node's first output.
   */
  @Override
  public List<Object> apply(Op op, List<Object> inputs, Attrs attrs) {
    String local = node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0) : null;
    return applyNamed(local, op, attrs, inputs.toArray());
  }

  /**
   * A target like this context for an intermediate step of a node that imports as several IR nodes
   * ({@code Ops.reduceMean(c.step(), x, axes, true)}): its outputs are named {@code <output>/<op>} so the node's
   * ONNX output name stays free for its final value.
   */
  public OpTarget<Object> step() {
    return (op, inputs, attrs) -> {
      String base = node.getOutputCount() > 0 && !node.getOutput(0).isEmpty() ? node.getOutput(0) : "tmp";
      return applyNamed(base + "/" + op.name().toLowerCase(java.util.Locale.ROOT), op, attrs, inputs.toArray());
    };
  }

  private List<Object> applyNamed(String local, Op op, Attrs attrs, Object... inputs) {
    for (Object o : inputs) {
      if (o != null && !(o instanceof Value) && !(o instanceof HostTensor) && !(o instanceof Symbolic)) {
        throw new IllegalArgumentException(op.name() + ": an input must be a Value, a HostTensor or a Symbolic value, not "
            + o.getClass().getName());
      }
    }
    List<Folded> known = new ArrayList<>();
    for (Object o : inputs) known.add(o == null ? null : folded(o));
    List<Folded> res;
    try {
      // The type rule runs first (inside fold), so folding never skips a check the graph would have made.
      res = Folding.fold(op, known, attrs);
    } catch (ShapeException | ArithmeticException | IllegalArgumentException e) {
      throw fail(op.name() + ": " + firstLine(e.getMessage()));
    }
    if (res != null) {
      Recipe recipe = new Recipe(op, attrs, inputs, local);
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < res.size(); i++) out.add(res.get(i).constant() != null ? res.get(i).constant() : new Symbolic(res.get(i), recipe, i));
      return out;
    }
    return new ArrayList<>(build(new Recipe(op, attrs, inputs, local)));
  }

  /** The IR nodes of an op application (its inputs as values first), built once. */
  private List<Value> build(Recipe r) {
    if (r.built != null) return r.built;
    List<Value> vals = new ArrayList<>();
    for (Object o : r.inputs) vals.add(toValue(o));
    try {
      r.built = builder.applyNamed(r.op, vals, r.attrs, r.local);
    } catch (ShapeException e) {
      throw fail(firstLine(e.getMessage()));
    }
    return r.built;
  }

  private static String firstLine(String m) { return m == null ? "null" : m.lines().findFirst().orElse(m); }

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

  private String where() { return GraphChecks.where(node, opset); }

  /** A malformed-model error naming the node, its op and the opset. */
  public ModelFileException fail(String what) { return new ModelFileException(where() + ": " + what); }

  /** An unsupported-form error naming the node, its op and the opset. */
  public UnsupportedOpException unsupported(String what) { return new UnsupportedOpException(where() + ": " + what); }

  /** Wraps a KilnException from elsewhere with the node's position. */
  KilnException wrap(KilnException e) {
    if (e.getMessage() != null && e.getMessage().startsWith("node '")) return e;
    if (e instanceof UnsupportedOpException) return unsupported(e.getMessage());
    if (e instanceof ModelFileException || e instanceof ShapeException) return fail(e.getMessage());
    return new KilnException(where() + ": " + e.getMessage(), e);
  }
}
