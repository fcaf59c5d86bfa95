package dev.kiln.spec.ir;

import dev.kiln.spec.KilnException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable IR graph: inputs, parameters, nodes in topological order, outputs, and metadata
 * (seed, provenance). Passes return new graphs. {@link #toText()} is the stable text form golden
 * tests compare.
 */
public final class Graph {
  private final String name;
  private final List<Value> inputs;
  private final List<Parameter> parameters;
  private final List<Node> nodes;
  private final List<Value> outputs;
  private final Map<String, String> metadata;

  public Graph(String name, List<Value> inputs, List<Parameter> parameters, List<Node> nodes, List<Value> outputs,
               Map<String, String> metadata) {
    this.name = name;
    this.inputs = List.copyOf(inputs);
    this.parameters = List.copyOf(parameters);
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
    this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public String name() { return name; }

  public List<Value> inputs() { return inputs; }

  public List<Parameter> parameters() { return parameters; }

  public List<Node> nodes() { return nodes; }

  public List<Value> outputs() { return outputs; }

  public Map<String, String> metadata() { return metadata; }

  /** The parameter called {@code name}, if any. */
  public Optional<Parameter> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The input called {@code name}, or an error listing the inputs. */
  public Value input(String name) {
    return inputs.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() ->
        new KilnException("graph " + this.name + " has no input '" + name + "'; inputs: "
            + inputs.stream().map(Value::name).toList()));
  }

  /** Total element count of all parameters. */
  public long parameterCount() {
    return parameters.stream().mapToLong(p -> p.initial().size()).sum();
  }

  /** A copy with other parts. */
  public Graph with(List<Parameter> params, List<Node> nodes, List<Value> outputs) {
    return new Graph(name, inputs, params, nodes, outputs, metadata);
  }

  public Graph withMetadata(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new Graph(name, inputs, parameters, nodes, outputs, m);
  }

  /** The stable text form, without source locations. */
  public String toText() { return IrPrinter.print(this, false); }

  /** The text form with each node's source location. */
  public String toTextWithLocations() { return IrPrinter.print(this, true); }

  @Override public String toString() { return toText(); }
}
