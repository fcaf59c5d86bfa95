package dev.kiln.runtime.spark;

import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The all-reduce of replicas that all run in one JVM (Spark's {@code local[N]}, or one executor with a core per
 * task): each peer sums its 1/W of the array straight from the others' buffers and writes that sum into every
 * buffer, with no socket and no thread hand-off between (docs/spark.md has its cost against the TCP ring).
 *
 * <p>A step is two rendezvous: (A) every buffer of this step is published; each peer then sums its chunk over the
 * peers 0..W-1 in that order (so the bytes do not depend on timing) and writes it into every buffer, the only peer to
 * touch that chunk until (B), after which every buffer holds the whole sum and its owner may reuse it. So every peer
 * ends with the same bytes, as the ring guarantees. A peer that leaves before the run ends ({@link #close} on a
 * failure) breaks the group: the others stop waiting and fail, as they do when a ring neighbour's socket closes, and
 * Spark retries the stage.
 */
public final class SharedMemoryAllReduce implements AutoCloseable {
  /** Tells which peers share this JVM (and this class's group table): every peer in one JVM prints the same token. */
  public static final String JVM = UUID.randomUUID().toString();

  /**
   * How long a peer that reaches a rendezvous first spins before it parks, by default ({@code -Dkiln.allreduce.spinMicros},
   * 500). A parked peer leaves its core idle, and waking it again (on a virtual machine: the hypervisor halts the idle
   * vCPU) costs a short step like the MLP's more than the sum itself, twice a step; its peers' steps end within a few
   * hundred microseconds of each other. A long spin cost the Kotlin CNN, whose waits are longer, ~10% at 2 ms (cause
   * not found), so the spin is short. docs/spark.md has the figures.
   */
  static final long DEFAULT_SPIN_NANOS = 1000L * Long.getLong("kiln.allreduce.spinMicros", 500);

  private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();

  private final Group group;
  private final String key;
  private final int rank;
  private final long spinNanos;
  private float[] chunk = new float[0];
  private float[] other = new float[0];
  private long bytesCopied;
  private long nanos;
  private boolean done;

  /**
   * Joins (or starts) the group {@code key} names: one key per run attempt, the same on every peer. An early peer
   * spins {@link #DEFAULT_SPIN_NANOS} at a rendezvous when every peer can have a core of its own, else parks at once
   * (spinning peers would take the cores the late ones need).
   */
  public SharedMemoryAllReduce(String key, int rank, int world) {
    this(key, rank, world, world <= Runtime.getRuntime().availableProcessors() ? DEFAULT_SPIN_NANOS : 0);
  }

  /** {@link #SharedMemoryAllReduce(String, int, int)} spinning up to {@code spinNanos} (0: never) before it parks. */
  public SharedMemoryAllReduce(String key, int rank, int world, long spinNanos) {
    this.spinNanos = Math.max(0, spinNanos);
    if (world < 1 || rank < 0 || rank >= world) throw new KilnException("shared-memory all-reduce: rank " + rank + " of " + world);
    this.key = key;
    this.rank = rank;
    this.group = GROUPS.compute(key, (k, g) -> {
      Group gr = g == null ? new Group(world) : g;
      if (gr.world != world) throw new KilnException("shared-memory all-reduce: group " + k + " has " + gr.world + " peers, not " + world);
      gr.members++;
      return gr;
    });
  }

  /** Replaces {@code data} (little-endian f32 from 0 to its limit, the same length on every peer) by the sum over all peers. */
  public void sum(ByteBuffer data) {
    if (group.world == 1) return;
    if (data.order() != ByteOrder.LITTLE_ENDIAN) throw new KilnException("all-reduce: the buffer must be little-endian");
    long t0 = System.nanoTime();
    int n = data.limit() / 4;
    group.buffers[rank] = data;
    group.await(rank, spinNanos);  // A
    try {
      for (int r = 0; r < group.world; r++) {
        int m = group.buffers[r].limit() / 4;
        if (m != n) throw new KilnException("all-reduce: peer " + r + " passed " + m + " floats, peer " + rank + " " + n);
      }
      int from = (int) ((long) rank * n / group.world);
      int len = (int) ((long) (rank + 1) * n / group.world) - from;
      if (chunk.length < len) {
        chunk = new float[len];
        other = new float[len];
      }
      view(group.buffers[0]).get(from, chunk, 0, len);
      for (int r = 1; r < group.world; r++) {
        view(group.buffers[r]).get(from, other, 0, len);
        for (int i = 0; i < len; i++) chunk[i] += other[i];
      }
      // Between A and B only this peer touches its chunk, in every buffer: write the one sum into all of them.
      for (ByteBuffer b : group.buffers) view(b).put(from, chunk, 0, len);
      group.await(rank, spinNanos);  // B: every chunk is summed everywhere
      bytesCopied += 8L * len * (group.world - 1);
    } catch (RuntimeException e) {
      group.breakUp("peer " + rank + " failed: " + e.getMessage());
      throw e;
    } finally {
      nanos += System.nanoTime() - t0;
    }
  }

  /** Every peer's {@code value}, indexed by rank. */
  public long[] gather(long value) {
    if (group.world == 1) return new long[] {value};
    group.values[rank] = value;
    group.await(rank, spinNanos);
    long[] all = group.values.clone();
    group.await(rank, spinNanos);  // nobody overwrites a value before everyone has read them all
    return all;
  }

  private static FloatBuffer view(ByteBuffer b) { return b.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asFloatBuffer(); }

  /** Bytes this peer has read from and written to the others' buffers so far (memory traffic, not network). */
  public long bytesCopied() { return bytesCopied; }

  /** Seconds this peer has spent in {@link #sum} so far (waiting for slower peers included). */
  public double seconds() { return nanos / 1e9; }

  /** Marks a normal end: closing after it does not break the group. */
  public void finish() { done = true; }

  @Override public void close() {
    if (!done) group.breakUp("peer " + rank + " left the run");
    GROUPS.computeIfPresent(key, (k, g) -> --g.members == 0 ? null : g);
  }

  /** The peers of one run: their buffers, their gathered values, and a barrier that a departing peer can break. */
  private static final class Group {
    final int world;
    final ByteBuffer[] buffers;
    final long[] values;
    int members;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition tripped = lock.newCondition();
    private int arrived;
    /** Bumped (under the lock) each time all peers have arrived; read without it by spinning peers. */
    private volatile long generation;
    private volatile String broken;

    Group(int world) {
      this.world = world;
      this.buffers = new ByteBuffer[world];
      this.values = new long[world];
    }

    /**
     * Waits until all {@link #world} peers have called it, or fails when the group is broken or the thread interrupted.
     * A peer that arrives early first spins for up to {@code spinNanos}, then parks.
     */
    void await(int rank, long spinNanos) {
      long gen;
      lock.lock();
      try {
        if (broken != null) throw new KilnException("shared-memory all-reduce: " + broken);
        gen = generation;
        if (++arrived == world) {
          arrived = 0;
          generation = gen + 1;
          tripped.signalAll();
          return;
        }
      } finally {
        lock.unlock();
      }
      if (spinNanos > 0) {
        long until = System.nanoTime() + spinNanos;
        while (generation == gen && broken == null && System.nanoTime() - until < 0) Thread.onSpinWait();
        if (generation != gen) return;
      }
      lock.lock();
      try {
        while (generation == gen) {
          if (broken != null) throw new KilnException("shared-memory all-reduce: peer " + rank + " stopped waiting: " + broken);
          // NOTE: a bounded wait only to re-check the flag; a peer that takes long (a slow step, a compile) is not an error.
          tripped.await(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        broken = "peer " + rank + " was interrupted";
        tripped.signalAll();
        Thread.currentThread().interrupt();
        throw new KilnException("shared-memory all-reduce: peer " + rank + " was interrupted");
      } finally {
        lock.unlock();
      }
    }

    void breakUp(String why) {
      lock.lock();
      try {
        if (broken == null) broken = why;
        tripped.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
