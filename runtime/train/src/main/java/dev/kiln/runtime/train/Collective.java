package dev.kiln.runtime.train;

import java.nio.ByteBuffer;

/**
 * How the replicas of a data-parallel run talk to each other ({@link DataParallelReplica}): a sum of float arrays that
 * gives every replica the same bytes, and a gather of one number per replica. The Spark module implements it with a
 * ring all-reduce over TCP between barrier tasks; {@link #single()} is the one-replica case.
 */
public interface Collective extends AutoCloseable {
  /** This replica's index, 0 .. {@link #size()}-1. */
  int rank();

  /** The number of replicas. */
  int size();

  /**
   * Replaces {@code data} (little-endian f32 values from index 0 to its limit) by the element-wise sum over all
   * replicas (every replica passes a buffer of the same length). Every replica must receive bit-identical results,
   * so that identical updates keep them identical. NOTE: a buffer rather than a float[], so that a replica's
   * gradients go from the back end's tensors into the buffer, around the ring and back into the back end's tensors
   * with no float[] between (a direct buffer is written to and read from sockets without further copies).
   */
  void sum(ByteBuffer data);

  /** Every replica's {@code value}, indexed by rank. */
  long[] gather(long value);

  @Override default void close() {}

  /** One replica alone: the sum is the data itself. */
  static Collective single() {
    return new Collective() {
      @Override public int rank() { return 0; }
      @Override public int size() { return 1; }
      @Override public void sum(ByteBuffer data) {}
      @Override public long[] gather(long value) { return new long[] {value}; }
    };
  }
}
