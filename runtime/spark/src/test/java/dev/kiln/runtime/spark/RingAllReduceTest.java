package dev.kiln.runtime.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ring over loopback TCP, three peers as threads: the all-reduce gives every peer the same bytes, equal to a
 * plain sum in the ring's order (uneven chunks included), and the gather gives every peer every value by rank.
 */
class RingAllReduceTest {
  @Test
  void threePeersSumToTheSameBytesAndGatherEveryValue() throws Exception {
    int world = 3;
    int n = 1_001;  // not a multiple of 3: the chunks differ in size
    List<RingAllReduce> peers = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int r = 0; r < world; r++) {
      RingAllReduce p = new RingAllReduce(r, world, "127.0.0.1");
      peers.add(p);
      addresses.add("127.0.0.1:" + p.port());
    }
    ExecutorService pool = Executors.newFixedThreadPool(world);
    try {
      List<Future<?>> connected = new ArrayList<>();
      for (RingAllReduce p : peers) connected.add(pool.submit(() -> p.connect(addresses)));
      for (Future<?> f : connected) f.get();
      List<ByteBuffer> data = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(4 * i, (float) Math.sin(i * 0.37 + r) * (r + 1) * 1e-3f);
        data.add(b);
      }
      float[][] before = new float[world][n];
      for (int r = 0; r < world; r++) data.get(r).duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(before[r]);
      List<Future<long[]>> runs = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        int rank = r;
        runs.add(pool.submit(() -> {
          peers.get(rank).sum(data.get(rank));
          return peers.get(rank).gather(100L + rank);
        }));
      }
      for (Future<long[]> f : runs) assertArrayEquals(new long[] {100, 101, 102}, f.get());
      float[][] after = new float[world][n];
      for (int r = 0; r < world; r++) data.get(r).duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(after[r]);
      for (int r = 1; r < world; r++) assertArrayEquals(after[0], after[r], 0f, "peer " + r + " got other bytes than peer 0");
      for (int i = 0; i < n; i++) {
        float expected = before[0][i] + before[1][i] + before[2][i];
        assertEquals(expected, after[0][i], 1e-6f * Math.max(1f, Math.abs(expected)), "element " + i);
      }
      for (RingAllReduce p : peers) assertEquals(4L * n * 2 * (world - 1) / world, p.bytesSent(), 8.0);
    } finally {
      peers.forEach(RingAllReduce::close);
      pool.shutdownNow();
    }
  }
}
