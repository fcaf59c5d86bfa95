package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.HostTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * Runs the evaluation graph once on {@code feed} and {@code rows} (as {@link #step} takes them), copies the outputs
   * named in {@code packed} into {@code dst} (their raw little-endian bytes, back to back in order, from its position,
   * which it advances) and returns the outputs named in {@code returned}. For data-parallel training: a back end that
   * implements it copies each step's gradients from its own memory straight into the all-reduce buffer and feeds the
   * batch's rows straight into its tensors, allocating nothing per step. (Measured: allocating a step's megabyte of
   * gradients as host tensors made two replicas of one JVM spend their time in the garbage collector; see
   * docs/spark.md.) This default gathers the rows and copies through {@link #evaluate(Map, List)}'s host tensors.
   */
  default Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> returned,
                                           List<String> packed, ByteBuffer dst) {
    Map<String, HostTensor> all = new HashMap<>(feed);
    rows.forEach((name, r) -> all.put(name, r.gather()));
    List<String> names = new ArrayList<>(returned);
    names.addAll(packed);
    Map<String, HostTensor> out = evaluate(all, names);
    for (String p : packed) dst.put(out.get(p).buffer());
    Map<String, HostTensor> back = new LinkedHashMap<>();
    for (String r : returned) back.put(r, out.get(r));
    return back;
  }

  /** The current value of every variable (parameters and slots), by name, in graph order. */
  Map<String, HostTensor> readVariables();

  /**
   * Copies every variable's raw little-endian bytes, in {@link #readVariables()}'s order, back to back into {@code dst}
   * from its position (which it advances). For the data-parallel replicas' periodic parameter-hash comparison: a
   * back end that implements it copies from its own memory, with no host tensors allocated (measured: allocating
   * the MLP's 3.3 MB of variables every 50 steps set off a garbage collection of 7-40 ms each time). This default
   * copies {@link #readVariables()}'s tensors.
   */
  default void readVariables(ByteBuffer dst) {
    for (HostTensor t : readVariables().values()) dst.put(t.buffer());
  }

  /** Overwrites the named variables (any subset); each value must have the variable's type. */
  void writeVariables(Map<String, HostTensor> values);

  /** Frees the session. */
  @Override void close();
}
