package dev.kiln.spec.ir;

import dev.kiln.spec.TensorType;

/**
 * An SSA value: a typed tensor with a stable human-readable name, made by exactly one node, or
 * a graph input, or a parameter. Identity is by object; names are unique within a graph.
 */
public final class Value {
  /** What produces a value. */
  public enum Kind { INPUT, PARAMETER, NODE }

  private final String name;
  private final TensorType type;
  private final Kind kind;

  Value(String name, TensorType type, Kind kind) {
    this.name = name;
    this.type = type;
    this.kind = kind;
  }

  public String name() { return name; }

  public TensorType type() { return type; }

  public Kind kind() { return kind; }

  @Override public String toString() { return name + ": " + type; }
}
