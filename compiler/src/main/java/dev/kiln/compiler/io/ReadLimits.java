package dev.kiln.compiler.io;

import dev.kiln.spec.ModelFileException;

/**
 * How much a model or weights file may make Kiln read, allocate or walk before it is refused as hostile or
 * corrupt. Every reader (ONNX import, {@code .pt}, safetensors, {@code .npy}) checks against one of these,
 * and a refusal names the limit and how to raise it. The defaults are far above real models and far below
 * what would exhaust a machine; each can be raised per call ({@code withMaxNodes(...)}) or for a whole
 * process with a system property ({@code -Dkiln.limit.nodes=5000000}, e.g. in {@code JAVA_TOOL_OPTIONS}).
 *
 * @param maxTensorBytes largest single tensor, in bytes ({@value #TENSOR_BYTES})
 * @param maxTotalBytes all tensors of one file together, in bytes ({@value #TOTAL_BYTES})
 * @param maxNodes nodes of one ONNX graph ({@value #NODES})
 * @param maxDepth nesting depth of containers in a pickle ({@value #DEPTH})
 * @param maxPickleElements values in a pickle once shared containers are counted at every place they appear ({@value #PICKLE_ELEMENTS})
 */
public record ReadLimits(long maxTensorBytes, long maxTotalBytes, long maxNodes, long maxDepth, long maxPickleElements) {
  public static final String TENSOR_BYTES = "kiln.limit.tensorBytes";
  public static final String TOTAL_BYTES = "kiln.limit.totalBytes";
  public static final String NODES = "kiln.limit.nodes";
  public static final String DEPTH = "kiln.limit.depth";
  public static final String PICKLE_ELEMENTS = "kiln.limit.pickleElements";

  /** Built-in defaults: a tensor up to a Java array's size (2 GiB), 64 GiB in all, 10^6 nodes, depth 100, 10^7 pickle values. */
  public static final ReadLimits BUILT_IN = new ReadLimits(Integer.MAX_VALUE - 8L, 64L << 30, 1_000_000, 100, 10_000_000);

  public ReadLimits {
    if (maxTensorBytes <= 0 || maxTotalBytes <= 0 || maxNodes <= 0 || maxDepth <= 0 || maxPickleElements <= 0) {
      throw new IllegalArgumentException("read limits must be positive");
    }
  }

  /** The built-in defaults, each replaced by its system property when set. */
  public static ReadLimits defaults() {
    return new ReadLimits(prop(TENSOR_BYTES, BUILT_IN.maxTensorBytes), prop(TOTAL_BYTES, BUILT_IN.maxTotalBytes),
        prop(NODES, BUILT_IN.maxNodes), prop(DEPTH, BUILT_IN.maxDepth), prop(PICKLE_ELEMENTS, BUILT_IN.maxPickleElements));
  }

  public ReadLimits withMaxTensorBytes(long v) { return new ReadLimits(v, maxTotalBytes, maxNodes, maxDepth, maxPickleElements); }

  public ReadLimits withMaxTotalBytes(long v) { return new ReadLimits(maxTensorBytes, v, maxNodes, maxDepth, maxPickleElements); }

  public ReadLimits withMaxNodes(long v) { return new ReadLimits(maxTensorBytes, maxTotalBytes, v, maxDepth, maxPickleElements); }

  public ReadLimits withMaxDepth(long v) { return new ReadLimits(maxTensorBytes, maxTotalBytes, maxNodes, v, maxPickleElements); }

  public ReadLimits withMaxPickleElements(long v) { return new ReadLimits(maxTensorBytes, maxTotalBytes, maxNodes, maxDepth, v); }

  /** Refuses a single tensor of {@code bytes} bytes when over {@link #maxTensorBytes}. */
  public void checkTensorBytes(String what, long bytes) { check(what, bytes, maxTensorBytes, TENSOR_BYTES, "bytes"); }

  /** Refuses a running total of {@code bytes} bytes when over {@link #maxTotalBytes}. */
  public void checkTotalBytes(String what, long bytes) { check(what, bytes, maxTotalBytes, TOTAL_BYTES, "bytes"); }

  public void checkNodes(String what, long nodes) { check(what, nodes, maxNodes, NODES, "nodes"); }

  public void checkDepth(String what, long depth) { check(what, depth, maxDepth, DEPTH, "levels"); }

  public void checkPickleElements(String what, long n) { check(what, n, maxPickleElements, PICKLE_ELEMENTS, "values"); }

  private static void check(String what, long found, long limit, String property, String unit) {
    if (found > limit) {
      throw new ModelFileException(what + " " + (found == Long.MAX_VALUE ? "is unbounded" : "has " + found + " " + unit)
          + ", over Kiln's read limit " + property + " = " + limit + "; if the file is trusted, raise it with -D"
          + property + "=N (for the kiln command: JAVA_TOOL_OPTIONS=-D" + property + "=N)");
    }
  }

  private static long prop(String name, long dflt) {
    String s = System.getProperty(name);
    if (s == null || s.isBlank()) return dflt;
    try {
      long v = Long.parseLong(s.strip().replace("_", ""));
      if (v > 0) return v;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("system property " + name + "='" + s + "' is not a positive whole number");
  }
}
