package dev.kiln.runtime.spark;

import dev.kiln.runtime.train.Collective;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;

/**
 * {@link Collective} for the tasks of one Spark barrier stage, never through the driver: when every task runs in this
 * JVM (Spark's {@code local[N]}, or one executor with a core per task) they sum through shared memory
 * ({@link SharedMemoryAllReduce}); otherwise around a {@link RingAllReduce} over TCP. The tasks exchange their ring
 * addresses and JVM tokens once with {@link BarrierTaskContext#allGather}; small numbers (parameter hashes) take the
 * same path as the gradients (Spark's {@code allGather} goes through the driver and took ~0.8 s a call).
 */
final class BarrierCollective implements Collective {
  private final BarrierTaskContext ctx;
  private final RingAllReduce ring;
  private final SharedMemoryAllReduce shared;

  BarrierCollective(BarrierTaskContext ctx, SparkTrainer.AllReduce transport) {
    this.ctx = ctx;
    BarrierTaskInfo[] infos = ctx.getTaskInfos();
    // The executor's own host (as the scheduler knows it): the address the other tasks can reach.
    String host = infos[ctx.partitionId()].address().replaceFirst(":\\d+$", "");
    RingAllReduce r = new RingAllReduce(ctx.partitionId(), infos.length, host);
    try {
      String[] all = ctx.allGather(host + ":" + r.port() + "/" + SharedMemoryAllReduce.JVM);
      boolean oneJvm = Arrays.stream(all).allMatch(a -> a.endsWith("/" + SharedMemoryAllReduce.JVM));
      if (oneJvm && transport == SparkTrainer.AllReduce.AUTO) {
        // One key per stage attempt (stage ids are unique in a Spark application, one per JVM), the same on every peer.
        String key = ctx.stageId() + "." + ctx.stageAttemptNumber() + "@" + String.join(",", all);
        this.shared = new SharedMemoryAllReduce(key, ctx.partitionId(), infos.length);
        this.ring = null;
        r.close();
      } else {
        r.connect(Arrays.stream(all).map(a -> a.substring(0, a.lastIndexOf('/'))).toList());
        this.ring = r;
        this.shared = null;
      }
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  @Override public int rank() { return ctx.partitionId(); }

  @Override public int size() { return ctx.getTaskInfos().length; }

  @Override public void sum(java.nio.ByteBuffer data) {
    if (shared != null) shared.sum(data);
    else ring.sum(data);
  }

  @Override public long[] gather(long value) { return shared != null ? shared.gather(value) : ring.gather(value); }

  /** Which way the gradients went: "shared memory" or "TCP ring". */
  String transport() { return shared != null ? "shared memory" : "TCP ring"; }

  /** Seconds this replica spent summing (waiting for the others included). */
  double allReduceSeconds() { return shared != null ? shared.seconds() : ring.seconds(); }

  /** Bytes this replica sent over TCP, or read from the others' buffers through shared memory. */
  long allReduceBytes() { return shared != null ? shared.bytesCopied() : ring.bytesSent(); }

  /** The run ended normally on this replica: closing now does not fail the others. */
  void finish() { if (shared != null) shared.finish(); }

  @Override public void close() {
    if (shared != null) shared.close();
    if (ring != null) ring.close();
  }
}
