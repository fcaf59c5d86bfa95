package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.KilnException;
import java.util.Arrays;

/**
 * Which examples of its dataset a data-parallel replica takes at each step of an epoch, and what share of the global
 * batch they are (the weight its gradients get, so that the weighted sum over replicas is the gradient of the
 * global batch's mean loss).
 */
public interface ShardPlan {
  /** Steps in every epoch (the same on every replica). */
  int steps();

  /** Row indices (into this replica's dataset) of step {@code k} of epoch {@code epoch}; may be empty. */
  int[] rows(int epoch, int k);

  /** This replica's share of step {@code k}'s global batch, 0..1. */
  double weight(int epoch, int k);

  /**
   * Every replica holds the whole dataset and steps through the global batches of size {@code batch} in the order a
   * single-process {@link Trainer} would (the permutation of {@link BatchSource#epochSeed}); replica {@code rank}
   * takes the {@code rank}-th of {@code world} contiguous slices of each. So W replicas at batch B/W follow the
   * same loss curve as one process at batch B.
   */
  static ShardPlan globalOrder(int size, int batch, long seed, int rank, int world) {
    if (batch < world) throw new KilnException("the global batch (" + batch + ") must be at least the number of workers (" + world + ")");
    int steps = (size + batch - 1) / batch;
    return new ShardPlan() {
      private int cachedEpoch = -1;
      private int[] order;

      private int[] order(int epoch) {
        if (epoch != cachedEpoch) {
          order = Dataset.permutation(size, BatchSource.epochSeed(seed, epoch));
          cachedEpoch = epoch;
        }
        return order;
      }

      private int len(int k) { return Math.min(size, (k + 1) * batch) - k * batch; }

      @Override public int steps() { return steps; }

      @Override public int[] rows(int epoch, int k) {
        int n = len(k);
        int from = k * batch + (int) ((long) rank * n / world);
        int to = k * batch + (int) ((long) (rank + 1) * n / world);
        return Arrays.copyOfRange(order(epoch), from, to);
      }

      @Override public double weight(int epoch, int k) {
        int n = len(k);
        return ((long) (rank + 1) * n / world - (long) rank * n / world) / (double) n;
      }
    };
  }

  /**
   * Each replica holds only its own shard ({@code localSize} examples, e.g. one partition of a DataFrame) and
   * reshuffles it every epoch with a seed of ({@code seed}, epoch, rank); every step takes {@code perReplica}
   * examples on every replica, and an epoch has {@code steps} steps (the smallest shard's count, agreed beforehand).
   */
  static ShardPlan localShards(int localSize, int perReplica, int steps, long seed, int rank, int world) {
    if (perReplica < 1) throw new KilnException("the batch per worker must be >= 1, got " + perReplica);
    if ((long) steps * perReplica > localSize) throw new KilnException("worker " + rank + " holds " + localSize
        + " examples, fewer than " + steps + " steps of " + perReplica);
    return new ShardPlan() {
      private int cachedEpoch = -1;
      private int[] order;

      @Override public int steps() { return steps; }

      @Override public int[] rows(int epoch, int k) {
        if (epoch != cachedEpoch) {
          order = Dataset.permutation(localSize, BatchSource.epochSeed(seed ^ (0x632BE59BD9B4E019L * (rank + 1)), epoch));
          cachedEpoch = epoch;
        }
        return Arrays.copyOfRange(order, k * perReplica, (k + 1) * perReplica);
      }

      @Override public double weight(int epoch, int k) { return 1.0 / world; }
    };
  }
}
