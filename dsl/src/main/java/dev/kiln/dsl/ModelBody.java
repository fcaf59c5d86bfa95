package dev.kiln.dsl;

/**
 * The body of a model that declares its outputs itself ({@link ModelBuilder#output}), for
 * {@link Model#define(String, ModelBody)}: it returns nothing.
 */
@FunctionalInterface
public interface ModelBody {
  /** Adds the model's inputs, layers and outputs to {@code m}. */
  void define(ModelBuilder m);
}
