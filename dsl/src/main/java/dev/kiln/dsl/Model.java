package dev.kiln.dsl;

import dev.kiln.spec.ir.EvalMode;
import dev.kiln.spec.ir.Graph;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A model written in the DSL: an immutable IR graph with its parameters' initial values.
 *
 * <pre>{@code
 * Model mlp = Model.build("mlp", m -> {                 // the returned tensor is the output "output"
 *   Tensor<F32> x = m.input("x", F32, batch, 784);
 *   return x.apply("fc1", Linear.of(256)).relu().apply("fc2", Linear.of(10));
 * });
 * Model cnn = Model.define("cnn", m -> {                // outputs declared in the body; nothing to return
 *   Tensor<F32> x = m.input("x", F32, batch, 1, 28, 28);
 *   m.output("logits", x.apply("c1", Conv2d.of(8, 3)).relu().flatten().apply("fc", Linear.of(10)));
 * });
 * }</pre>
 *
 * Export is the compiler's: {@code OnnxExporter.write(model.graph(), path)} ({@code dev.kiln.compiler.onnx}).
 */
public final class Model {
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;
  private final Graph graph;

  /** Wraps a finished graph (e.g. one imported or rewritten by a pass) as a model. */
  public Model(Graph graph) { this.graph = graph; }

  /**
   * Builds a model with the default seed; the returned tensor becomes the output {@code output}. A body that
   * declares its outputs itself ({@link ModelBuilder#output}) reads better as {@link #define(String, ModelBody)};
   * here it returns null.
   */
  public static Model build(String name, Function<ModelBuilder, ? extends @Nullable Tensor<?>> body) { return build(name, DEFAULT_SEED, body); }

  /** Builds a model whose parameters are initialised from {@code seed}; see {@link #build(String, Function)}. */
  public static Model build(String name, long seed, Function<ModelBuilder, ? extends @Nullable Tensor<?>> body) {
    ModelBuilder m = new ModelBuilder(name, seed);
    Tensor<?> out = body.apply(m);
    if (out != null) m.graph().output("output", out.value());
    return new Model(m.graph().build());
  }

  /**
   * Builds a model (default seed) whose body declares its outputs with {@link ModelBuilder#output} and returns
   * nothing. A separate name rather than a {@code build} overload: a lambda such as {@code m -> x.relu()} fits both
   * a {@code Function} and a {@code void} body, so overloads would make existing calls ambiguous.
   */
  public static Model define(String name, ModelBody body) { return define(name, DEFAULT_SEED, body); }

  /** {@link #define(String, ModelBody)} with parameters initialised from {@code seed}. */
  public static Model define(String name, long seed, ModelBody body) {
    ModelBuilder m = new ModelBuilder(name, seed);
    body.define(m);
    return new Model(m.graph().build());
  }

  /** The IR graph (training form): what the trainer differentiates and the ONNX exporter writes. */
  public Graph graph() { return graph; }

  /** The model's name. */
  public String name() { return graph.name(); }

  /**
   * The inference form of the graph (batch norm on running statistics, dropout off, no state updates), over
   * the same parameters: what evaluation runs and ONNX export writes. The graph itself if it has no training form.
   */
  public Graph evalGraph() { return EvalMode.run(graph); }

  /** The IR as stable text. */
  public String toText() { return graph.toText(); }

  /** A Keras-style table: layer, output shape, parameter count, totals. */
  public String summary() { return Summary.of(graph); }

  /**
   * As {@link #summary()}, with rows down to {@code depth} levels of blocks: 1 gives one row per top-level block
   * ({@code layer1}), 2 (the default) one per inner block ({@code layer1.0}), 3 their layers ({@code layer1.0.conv1}).
   */
  public String summary(int depth) { return Summary.of(graph, depth); }

  @Override public String toString() { return toText(); }
}
