package dev.kiln.spec.op;

/**
 * One attribute in an op's signature: name, kind, default ({@code null} when required) and what
 * it means.
 */
public record AttrSpec(String name, AttrKind kind, Object defaultValue, String doc) {
  /** The value kinds an attribute may hold. */
  public enum AttrKind {
    INT(Long.class), FLOAT(Double.class), STRING(String.class), BOOL(Boolean.class), DTYPE(dev.kiln.spec.DType.class),
    TENSOR(dev.kiln.spec.HostTensor.class), INTS(long[].class), FLOATS(double[].class),
    /** A subgraph (the body of If, Loop, Scan): its own inputs, nodes and outputs. */
    GRAPH(dev.kiln.spec.ir.Graph.class);

    private final Class<?> javaType;

    AttrKind(Class<?> javaType) { this.javaType = javaType; }

    public Class<?> javaType() { return javaType; }
  }

  public static AttrSpec required(String name, AttrKind kind, String doc) { return new AttrSpec(name, kind, null, doc); }

  public static AttrSpec optional(String name, AttrKind kind, Object dflt, String doc) {
    return new AttrSpec(name, kind, dflt, doc);
  }

  public boolean isRequired() { return defaultValue == null; }
}
