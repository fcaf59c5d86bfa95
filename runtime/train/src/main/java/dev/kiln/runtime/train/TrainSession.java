package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.HostTensor;
import java.util.List;
import java.util.Map;

/**
 * A compiled train step and evaluation graph on one {@link Backend}, sharing their state (parameters,
 * optimizer slots, batch-norm statistics): what {@link Trainer} drives. Not thread-safe; close it to free
 * the back end's resources.
 */
public interface TrainSession extends AutoCloseable {
  /**
   * Runs one train step and fetches the loss (the train graph's first output), then the named train-graph
   * outputs, in order. {@code feed} holds train-graph inputs by name (features, labels, {@link TrainStep#LR},
   * {@link TrainStep#STEP}); {@code rows} holds inputs given as rows of a host tensor (a shuffled batch), which
   * a back end may copy straight into its own tensors.
   */
  List<HostTensor> step(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> outputs);

  /** One train step on {@code feed}; returns the loss. */
  default double step(Map<String, HostTensor> feed) { return step(feed, Map.of(), List.of()).get(0).getDouble(0); }

  /** One train step on {@code feed}; returns the loss tensor, then the named outputs. */
  default List<HostTensor> step(Map<String, HostTensor> feed, List<String> outputs) { return step(feed, Map.of(), outputs); }

  /** Runs the evaluation graph on {@code feed} and returns the named outputs (only those are computed). */
  Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, List<String> outputs);

  /** The current value of every variable (parameters and slots), by name, in graph order. */
  Map<String, HostTensor> readVariables();

  /** Overwrites the named variables (any subset); each value must have the variable's type. */
  void writeVariables(Map<String, HostTensor> values);

  /** Frees the session. */
  @Override void close();
}
