package dev.kiln.dsl;

import dev.kiln.spec.ir.Graph;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A model written in the DSL: an immutable IR graph with its parameters' initial values.
 *
 * <pre>{@code
 * Model mlp = Model.build("mlp", m -> {
 *   Tensor<F32> x = m.input("x", F32, batch, 784);
 *   return m.linear("fc2", m.linear("fc1", x, 256).relu(), 10);
 * });
 * }</pre>
 *
 * Export is the compiler's: {@code OnnxExporter.write(model.graph(), path)} ({@code dev.kiln.compiler.onnx}).
 */
public final class Model {
  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;
  private final Graph graph;

  public Model(Graph graph) { this.graph = graph; }

  /**
   * Builds a model with the default seed; the returned tensor becomes the output {@code output}. A body that
   * declares its outputs itself ({@link ModelBuilder#output}) returns null.
   */
  public static Model build(String name, Function<ModelBuilder, ? extends @Nullable Tensor<?>> body) { return build(name, DEFAULT_SEED, body); }

  /** Builds a model whose parameters are initialised from {@code seed}. */
  public static Model build(String name, long seed, Function<ModelBuilder, ? extends @Nullable Tensor<?>> body) {
    ModelBuilder m = new ModelBuilder(name, seed);
    Tensor<?> out = body.apply(m);
    if (out != null) m.graph().output("output", out.value());
    return new Model(m.graph().build());
  }

  public Graph graph() { return graph; }

  public String name() { return graph.name(); }

  /**
   * The inference form of the graph (batch norm on running statistics, dropout off, no state updates), over
   * the same parameters: what evaluation runs and ONNX export writes. The graph itself if it has no training form.
   */
  public Graph evalGraph() { return dev.kiln.spec.ir.EvalMode.run(graph); }

  /** The IR as stable text. */
  public String toText() { return graph.toText(); }

  /** A Keras-style table: layer, output shape, parameter count, totals. */
  public String summary() { return Summary.of(graph); }

  @Override public String toString() { return toText(); }
}
