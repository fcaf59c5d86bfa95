package dev.kiln.runtime.train;

import dev.kiln.spec.ir.Graph;

/**
 * Builds a model's forward graph for training or for inference. The flag is the hook for layers that
 * behave differently in the two (dropout, batch norm); a plain DSL model ignores it.
 */
@FunctionalInterface
public interface GraphSource {
  /** The forward graph; {@code training} is true for the train step, false for evaluation and export. */
  Graph build(boolean training);
}
