package dev.kiln.runtime.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The all-reduce of peers in one JVM: every peer gets the same bytes, equal to the sum in rank order (uneven chunks,
 * several steps in a row), the gather gives every value by rank, and a peer that leaves mid-run stops the others
 * (as a closed ring socket does) instead of leaving them waiting. Each runs with peers that park at once at a
 * rendezvous and with peers that spin first (5 ms, longer than the wait) whatever the core count.
 */
class SharedMemoryAllReduceTest {
  @ParameterizedTest(name = "spin {0} ns")
  @ValueSource(longs = {0, 5_000_000})
  void threePeersSumToTheSameBytesStepAfterStep(long spinNanos) throws Exception {
    int world = 3;
    int n = 1_001;  // not a multiple of 3
    ExecutorService pool = Executors.newFixedThreadPool(world);
    List<SharedMemoryAllReduce> peers = new ArrayList<>();
    for (int r = 0; r < world; r++) peers.add(new SharedMemoryAllReduce("test-three-" + spinNanos, r, world, spinNanos));
    try {
      for (int step = 0; step < 5; step++) {
        List<ByteBuffer> data = new ArrayList<>();
        float[][] before = new float[world][n];
        for (int r = 0; r < world; r++) {
          ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < n; i++) b.putFloat(4 * i, before[r][i] = (float) Math.sin(i * 0.37 + r + step) * (r + 1) * 1e-3f);
          data.add(b);
        }
        List<Future<long[]>> runs = new ArrayList<>();
        long base = 100L * step;
        for (int r = 0; r < world; r++) {
          int rank = r;
          runs.add(pool.submit(() -> {
            peers.get(rank).sum(data.get(rank));
            return peers.get(rank).gather(base + rank);
          }));
        }
        for (Future<long[]> f : runs) assertArrayEquals(new long[] {100L * step, 100L * step + 1, 100L * step + 2}, f.get(30, TimeUnit.SECONDS));
        float[][] after = new float[world][n];
        for (int r = 0; r < world; r++) data.get(r).duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(after[r]);
        for (int r = 1; r < world; r++) assertArrayEquals(after[0], after[r], 0f, "peer " + r + " got other bytes than peer 0");
        for (int i = 0; i < n; i++) assertEquals(before[0][i] + before[1][i] + before[2][i], after[0][i], 0f, "element " + i);
      }
    } finally {
      peers.forEach(SharedMemoryAllReduce::finish);
      peers.forEach(SharedMemoryAllReduce::close);
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "spin {0} ns")
  // 10 s: peer 0 is still spinning when peer 1 leaves, and must notice that within the 5 s the test waits.
  @ValueSource(longs = {0, 5_000_000, 10_000_000_000L})
  void aPeerThatLeavesStopsTheOthersWaiting(long spinNanos) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    SharedMemoryAllReduce a = new SharedMemoryAllReduce("test-leave-" + spinNanos, 0, 2, spinNanos);
    SharedMemoryAllReduce b = new SharedMemoryAllReduce("test-leave-" + spinNanos, 1, 2, spinNanos);
    try {
      ByteBuffer x = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
      Future<?> waiting = pool.submit(() -> a.sum(x));
      Thread.sleep(200);
      b.close();  // peer 1 fails before its step: no finish()
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof KilnException && e.getCause().getMessage().contains("peer 1 left the run"), e.getCause().toString());
    } finally {
      a.close();
      pool.shutdownNow();
    }
  }
}
