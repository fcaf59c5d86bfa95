package dev.kiln.runtime.train;

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
   * Replaces {@code data} by the element-wise sum over all replicas (every replica passes an array of the same
   * length). Every replica must receive bit-identical results, so that identical updates keep them identical.
   */
  void sum(float[] data);

  /** Every replica's {@code value}, indexed by rank. */
  long[] gather(long value);

  @Override default void close() {}

  /** One replica alone: the sum is the data itself. */
  static Collective single() {
    return new Collective() {
      @Override public int rank() { return 0; }
      @Override public int size() { return 1; }
      @Override public void sum(float[] data) {}
      @Override public long[] gather(long value) { return new long[] {value}; }
    };
  }
}
