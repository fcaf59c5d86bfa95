package dev.kiln.spec.ir;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.op.AttrSpec;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.op.Signature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Graph} node by node. Each node's type rule runs as it is added, so a mistake is
 * reported at once with the op, the shapes, the name scope and the user's source line.
 */
public final class GraphBuilder implements OpTarget<Value> {
  private final String name;
  private final List<Value> inputs = new ArrayList<>();
  private final List<Parameter> parameters = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Value> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final Deque<String> scope = new ArrayDeque<>();
  private final Map<String, Integer> usedNames = new HashMap<>();
  private final Set<Value> owned = Collections.newSetFromMap(new IdentityHashMap<>());
  /** When set, nodes take this location instead of the caller's (graph rewrites such as autodiff). */
  private SourceLocation locationOverride;

  public GraphBuilder(String name) {
    if (name == null || name.isBlank()) throw new KilnException("a graph needs a non-empty name");
    this.name = name;
  }

  public String name() { return name; }

  /** Adds a graph input. Its name is used as given (not scoped) and must be unique. */
  public Value input(String inputName, TensorType type) {
    if (usedNames.containsKey(inputName)) throw new KilnException("name '" + inputName + "' is already used in graph " + name);
    Value v = new Value(claim(inputName), type, Value.Kind.INPUT);
    inputs.add(v);
    owned.add(v);
    return v;
  }

  /** Adds a parameter named {@code scope.localName}; the name must be unused. */
  public Value parameter(String localName, HostTensor initial, boolean trainable, String initializer) {
    String full = scoped(localName);
    if (usedNames.containsKey(full)) {
      throw new ShapeException("parameter '" + full + "' already exists in model " + name
          + " (give each layer a distinct name)\n  at " + SourceLocation.capture());
    }
    Value v = new Value(claim(full), initial.type(), Value.Kind.PARAMETER);
    parameters.add(new Parameter(v, initial, trainable, initializer));
    owned.add(v);
    return v;
  }

  /**
   * Applies an op: checks arity and attributes, fills defaults, runs the type rule, adds the node. Code
   * that builds IR names ops through the facade {@code dev.kiln.spec.ops.Ops} ({@code Ops.relu(b, x)}),
   * which calls this.
   */
  @Override
  public List<Value> apply(Op op, List<Value> in, Attrs attrs) {
    return applyNamed(op, in, attrs, null);
  }

  /**
   * Like {@link #apply(Op, List, Attrs)} with an explicit local name for the outputs (scoped); by
   * default outputs are named after the op.
   */
  public List<Value> applyNamed(Op op, List<Value> in, Attrs attrs, String localName) {
    return applyNamed(op, in, attrs, localName, null);
  }

  private List<Value> applyNamed(Op op, List<Value> in, Attrs attrs, String localName, List<Value> namesFrom) {
    SourceLocation loc = locationOverride != null ? locationOverride : SourceLocation.capture();
    for (Value v : in) {
      if (v != null && !owned.contains(v)) {
        throw error(op, "input '" + v.name() + "' belongs to another graph, not " + name, loc);
      }
    }
    Signature sig = op.signature();
    if (in.size() < sig.minInputs() || in.size() > sig.maxInputs()) {
      throw error(op, "takes " + arity(sig) + " inputs " + sig.inputNames() + ", got " + in.size(), loc);
    }
    Attrs complete = completeAttrs(op, attrs, loc);
    List<TensorType> types = new ArrayList<>();
    for (Value v : in) types.add(v == null ? null : v.type());
    List<TensorType> outTypes;
    try {
      outTypes = op.inferTypes(types, complete);
    } catch (ShapeException | ArithmeticException | IllegalArgumentException e) {
      throw error(op, stripOpPrefix(op, e.getMessage()), loc);
    }
    String base = localName != null ? localName : op.name().toLowerCase(java.util.Locale.ROOT);
    List<Value> outs = new ArrayList<>();
    for (int i = 0; i < outTypes.size(); i++) {
      String n = namesFrom != null && i < namesFrom.size() ? claim(namesFrom.get(i).name())
          : claim(scoped(outTypes.size() == 1 ? base : base + "." + i));
      Value v = new Value(n, outTypes.get(i), Value.Kind.NODE);
      owned.add(v);
      outs.add(v);
    }
    nodes.add(new Node(op, in, complete, outs, List.copyOf(scopeList()), loc));
    return outs;
  }

  private static String arity(Signature s) {
    if (s.isVariadic()) return "at least " + s.minInputs();
    return s.minInputs() == s.maxInputs() ? String.valueOf(s.minInputs()) : s.minInputs() + " to " + s.maxInputs();
  }

  private static String stripOpPrefix(Op op, String msg) {
    String p = op.name() + ": ";
    return msg != null && msg.startsWith(p) ? msg.substring(p.length()) : String.valueOf(msg);
  }

  private Attrs completeAttrs(Op op, Attrs given, SourceLocation loc) {
    Attrs out = given;
    List<AttrSpec> specs = op.signature().attrs();
    for (String k : given.asMap().keySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(k))) {
        throw error(op, "unknown attribute '" + k + "'; it takes " + specs.stream().map(AttrSpec::name).toList(), loc);
      }
    }
    for (AttrSpec s : specs) {
      if (!given.has(s.name())) {
        if (s.isRequired()) throw error(op, "missing required attribute '" + s.name() + "' (" + s.doc() + ")", loc);
        out = out.with(s.name(), s.defaultValue());
      }
      Object v = out.asMap().get(s.name());
      if (!s.kind().javaType().isInstance(v)) {
        throw error(op, "attribute '" + s.name() + "' must be " + s.kind().name().toLowerCase(java.util.Locale.ROOT)
            + ", got " + v.getClass().getSimpleName(), loc);
      }
    }
    return out;
  }

  /** A shape/type error located at the user's line, in the current block and model. */
  public ShapeException error(Op op, String message, SourceLocation loc) {
    StringBuilder b = new StringBuilder(op.name()).append(": ").append(message);
    b.append("\n  in ").append(scope.isEmpty() ? "" : "block " + String.join(".", scopeList()) + " of ")
        .append("model ").append(name);
    b.append("\n  at ").append(loc);
    return new ShapeException(b.toString());
  }

  /** Marks a value as a graph output. */
  public void output(Value v) {
    if (!owned.contains(v)) throw new KilnException("output '" + v.name() + "' belongs to another graph, not " + name);
    outputs.add(v);
  }

  /** Marks a value as an output under a chosen name (adding an Identity node when it is named otherwise). */
  public Value output(String outputName, Value v) {
    Value out = v;
    if (!v.name().equals(outputName)) {
      if (usedNames.containsKey(outputName)) throw new KilnException("output name '" + outputName + "' is already used");
      Deque<String> saved = new ArrayDeque<>(scope);
      scope.clear();
      out = applyNamed(OpRegistry.get(dev.kiln.spec.ops.Identity.class), List.of(v), Attrs.EMPTY, outputName).get(0);
      scope.addAll(saved);
    }
    output(out);
    return out;
  }

  public void metadata(String key, String value) { metadata.put(key, value); }

  /** Runs {@code body} inside the name scope {@code block}; names made there are prefixed {@code block.}. */
  public <T> T scoped(String block, java.util.function.Supplier<T> body) {
    if (block == null || block.isBlank() || block.contains(".")) {
      throw new KilnException("a block name must be non-empty and contain no '.', got '" + block + "'");
    }
    scope.addLast(block);
    try {
      return body.get();
    } finally {
      scope.removeLast();
    }
  }

  /**
   * Runs {@code body} with the name scope replaced by {@code blocks} and every node it adds located at
   * {@code location} (e.g. a forward node's line marked backward); both are restored afterwards.
   */
  public <T> T at(List<String> blocks, SourceLocation location, java.util.function.Supplier<T> body) {
    Deque<String> savedScope = new ArrayDeque<>(scope);
    SourceLocation savedLoc = locationOverride;
    scope.clear();
    scope.addAll(blocks);
    locationOverride = location;
    try {
      return body.get();
    } finally {
      scope.clear();
      scope.addAll(savedScope);
      locationOverride = savedLoc;
    }
  }

  /**
   * Adds a copy of {@code n} (from another graph) reading {@code newInputs}, keeping its attributes,
   * scope, location and, where still free, its output names; the type rule runs again. Returns the new node.
   */
  public Node copy(Node n, List<Value> newInputs) {
    at(n.scope(), n.location(), () -> applyNamed(n.op(), newInputs, n.attrs(), null, n.outputs()));
    return nodes.get(nodes.size() - 1);
  }

  /** Whether {@code name} already names a value in this graph. */
  public boolean isUsed(String name) { return usedNames.containsKey(name); }

  public List<String> scopeList() { return new ArrayList<>(scope); }

  /** {@code scope.localName}, or just {@code localName} at top level. */
  public String scoped(String localName) {
    return scope.isEmpty() ? localName : String.join(".", scope) + "." + localName;
  }

  private String claim(String n) {
    Integer count = usedNames.get(n);
    if (count == null) {
      usedNames.put(n, 1);
      return n;
    }
    String candidate;
    int c = count;
    do {
      candidate = n + "_" + c++;
    } while (usedNames.containsKey(candidate));
    usedNames.put(n, c);
    usedNames.put(candidate, 1);
    return candidate;
  }

  public List<Parameter> parameters() { return Collections.unmodifiableList(parameters); }

  public List<Node> nodes() { return Collections.unmodifiableList(nodes); }

  /** The graph inputs added so far. */
  public List<Value> inputs() { return Collections.unmodifiableList(inputs); }

  /** The finished, immutable graph. */
  public Graph build() {
    if (outputs.isEmpty()) throw new KilnException("graph " + name + " has no outputs");
    return new Graph(name, inputs, parameters, nodes, outputs, metadata);
  }
}
