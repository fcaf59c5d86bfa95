package dev.kiln.runtime.spark;

import dev.kiln.runtime.train.Collective;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.BarrierTaskInfo;

/**
 * {@link Collective} for the tasks of one Spark barrier stage: gradients go around a {@link RingAllReduce} between the
 * tasks (never through the driver), whose addresses the tasks exchange once with {@link BarrierTaskContext#allGather};
 * small numbers (parameter hashes) go around the ring too ({@link RingAllReduce#gather}: Spark's {@code allGather}
 * goes through the driver and took ~0.8 s a call).
 */
final class BarrierCollective implements Collective {
  private final BarrierTaskContext ctx;
  private final RingAllReduce ring;

  BarrierCollective(BarrierTaskContext ctx) {
    this.ctx = ctx;
    BarrierTaskInfo[] infos = ctx.getTaskInfos();
    // The executor's own host (as the scheduler knows it): the address the other tasks can reach.
    String host = infos[ctx.partitionId()].address().replaceFirst(":\\d+$", "");
    this.ring = new RingAllReduce(ctx.partitionId(), infos.length, host);
    try {
      String[] all = ctx.allGather(host + ":" + ring.port());
      ring.connect(List.of(all));
    } catch (RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  @Override public int rank() { return ctx.partitionId(); }

  @Override public int size() { return ctx.getTaskInfos().length; }

  @Override public void sum(java.nio.ByteBuffer data) { ring.sum(data); }

  @Override public long[] gather(long value) { return ring.gather(value); }

  RingAllReduce ring() { return ring; }

  @Override public void close() { ring.close(); }

}
