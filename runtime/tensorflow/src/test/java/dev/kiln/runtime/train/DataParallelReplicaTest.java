package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, part 1: the train step split into "gradients" and "apply update" graphs ({@link SplitStep}) gives the
 * fused step's losses, and W in-process replicas at batch B/W give one process's at batch B. The Spark module runs
 * the same replicas in barrier tasks over TCP.
 */
class DataParallelReplicaTest {
  static Model mlp() {
    return Model.define("mlp", 5, m -> {
      Tensor<dev.kiln.dsl.types.F32> x = m.input("x", F32, "batch", 20);
      m.output("logits", x.linear("fc1", 32).relu().linear("fc2", 4));
    });
  }

  static Model lenet5() {
    return Model.define("lenet5", 5, m -> {
      Tensor<dev.kiln.dsl.types.F32> x = m.input("x", F32, "batch", 1, 28, 28);
      Tensor<dev.kiln.dsl.types.F32> h = x.conv2d("conv1", Conv.out(6).kernel(5).padding(Padding.explicit(2))).relu().maxPool2d(2);
      h = h.conv2d("conv2", Conv.out(16).kernel(5)).relu().maxPool2d(2).flatten();
      m.output("logits", h.linear("fc1", 120).relu().linear("fc2", 84).relu().linear("fc3", 4));
    });
  }

  /** Learnable labels: the argmax of a fixed random projection of the features. */
  static Dataset data(int n, long[] shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = 1;
    for (int i = 1; i < shape.length; i++) d *= (int) shape[i];
    float[] x = new float[n * d];
    float[] w = new float[d * 4];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 4; c++) {
        double s = 0;
        for (int k = 0; k < d; k++) s += x[i * d + k] * w[k * 4 + c];
        if (s > best) { best = s; y[i] = c; }
      }
    }
    long[] full = shape.clone();
    full[0] = n;
    return new Dataset(HostTensor.ofFloats(x, full), HostTensor.ofLongs(y, n));
  }

  static TrainerBuilder recipe(Model m) {
    return Trainer.builder(m).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "logits").optimizer(Optimizers.adam(0.9, 0.999, 1e-7))
        .learningRate(0.003).seed(7).metrics(Metric.accuracy()).progress(false);
  }

  /** Per-step losses of the fused trainer at batch {@code batch}. */
  static List<Double> fused(Supplier<TrainerBuilder> b, Dataset d, int epochs, int batch) {
    List<Double> losses = new ArrayList<>();
    try (Trainer t = b.get().callbacks(new TrainingCallback() {
      @Override public void onStepEnd(Trainer tr, long step, double loss) { losses.add(loss); }
    }).build()) {
      t.fit(d, null, epochs, batch);
    }
    return losses;
  }

  /** Per-step losses of {@code world} replicas (threads) at global batch {@code batch}; all replicas must agree. */
  static List<Double> replicas(Supplier<TrainerBuilder> b, Dataset d, int epochs, int batch, int world) throws Exception {
    InProcess comm = new InProcess(world);
    ExecutorService pool = Executors.newFixedThreadPool(world);
    try {
      List<Future<List<Double>>> fs = new ArrayList<>();
      for (int r = 0; r < world; r++) {
        int rank = r;
        fs.add(pool.submit(() -> {
          List<Double> losses = new ArrayList<>();
          try (DataParallelReplica rep = new DataParallelReplica(b.get(), comm.at(rank))) {
            rep.fit(d, ShardPlan.globalOrder(d.size(), batch, 7, rank, world), epochs, new DataParallelReplica.Options(null, 0, 10),
                new DataParallelReplica.Listener() {
                  @Override public void onStep(long step, int epoch, int k, int examples, double loss, double metric) { losses.add(loss); }
                });
          }
          return losses;
        }));
      }
      List<Double> first = fs.get(0).get();
      for (Future<List<Double>> f : fs) assertEquals(first, f.get(), "every replica sees the same summed loss");
      return first;
    } finally {
      pool.shutdownNow();
    }
  }

  static void assertCurves(List<Double> want, List<Double> got, double rel) {
    assertEquals(want.size(), got.size(), "steps");
    for (int i = 0; i < want.size(); i++) {
      double tol = rel * Math.abs(want.get(i));
      assertEquals(want.get(i), got.get(i), tol, "step " + (i + 1) + " loss");
    }
  }

  @Test
  void gradientsThenApplyEqualsTheFusedStepMlp() throws Exception {
    Dataset d = data(640, new long[] {0, 20}, 1);
    List<Double> want = fused(() -> recipe(mlp()), d, 5, 32);
    assertEquals(100, want.size());
    assertCurves(want, replicas(() -> recipe(mlp()), d, 5, 32, 1), 1e-6);
    assertTrue(want.get(99) < 0.5 * want.get(0), "it learns: " + want.get(0) + " -> " + want.get(99));
  }

  @Test
  void gradientsThenApplyEqualsTheFusedStepLeNet5() throws Exception {
    Dataset d = data(160, new long[] {0, 1, 28, 28}, 2);
    List<Double> want = fused(() -> recipe(lenet5()), d, 1, 16);
    assertCurves(want, replicas(() -> recipe(lenet5()), d, 1, 16, 1), 1e-6);
  }

  @Test
  void theSplitStepRunsOnOnnxRuntimeToo() throws Exception {
    Dataset d = data(320, new long[] {0, 20}, 6);
    Supplier<TrainerBuilder> ort = () -> recipe(mlp()).backend("onnxruntime");
    List<Double> want = fused(ort, d, 2, 32);
    assertCurves(want, replicas(ort, d, 2, 32, 1), 1e-6);
    assertCurves(want, replicas(ort, d, 2, 32, 2), 1e-4);
  }

  @Test
  void twoReplicasAtHalfTheBatchFollowOneProcess() throws Exception {
    Dataset d = data(640, new long[] {0, 20}, 3);
    // 100 steps of a global batch of 32, with an odd last batch each epoch (640 = 19 * 33 + 13).
    List<Double> want = fused(() -> recipe(mlp()), d, 5, 32);
    assertCurves(want, replicas(() -> recipe(mlp()), d, 5, 32, 2), 1e-4);
    Dataset odd = data(200, new long[] {0, 20}, 4);
    assertCurves(fused(() -> recipe(mlp()), odd, 2, 33), replicas(() -> recipe(mlp()), odd, 2, 33, 2), 1e-4);
  }

  @Test
  void aCheckpointResumesMidEpochWhereTheRunWas() throws Exception {
    Dataset d = data(320, new long[] {0, 20}, 5);
    Path ckpt = Files.createTempDirectory("kiln-dp").resolve("run.ckpt");
    List<Double> straight = replicas(() -> recipe(mlp()), d, 2, 32, 1);
    InProcess one = new InProcess(1);
    try (DataParallelReplica rep = new DataParallelReplica(recipe(mlp()), one.at(0))) {
      // stop after step 13 (mid epoch 2) by throwing from the listener, as a failed task would
      try {
        rep.fit(d, ShardPlan.globalOrder(d.size(), 32, 7, 0, 1), 2, new DataParallelReplica.Options(ckpt, 1, 0),
            new DataParallelReplica.Listener() {
              @Override public void onStep(long step, int epoch, int k, int examples, double loss, double metric) {
                if (step == 13) throw new IllegalStateException("injected");
              }
            });
      } catch (IllegalStateException expected) {
        // the checkpoint of step 12 is on disk
      }
    }
    List<Double> rest = new ArrayList<>();
    try (DataParallelReplica rep = new DataParallelReplica(recipe(mlp()), one.at(0))) {
      rep.fit(d, ShardPlan.globalOrder(d.size(), 32, 7, 0, 1), 2, new DataParallelReplica.Options(ckpt, 1, 0),
          new DataParallelReplica.Listener() {
            @Override public void onStep(long step, int epoch, int k, int examples, double loss, double metric) { rest.add(loss); }
          });
      assertEquals(20, rep.step());
    }
    assertEquals(straight.subList(12, 20), rest, "steps 13..20 again, exactly");
    try (Trainer t = recipe(mlp()).build()) {
      t.restore(ckpt);  // the trainer reads the run's checkpoint
      assertEquals(2, t.epochs());
      assertEquals(20, t.step());
      Map<String, Double> e = t.evaluate(d, 64);
      assertTrue(e.get("accuracy") > 0.3, "trained: " + e);
    }
  }

  /** Replicas as threads of one process: sums in rank order, so every replica gets the same bytes. */
  static final class InProcess {
    private final int world;
    private final CyclicBarrier barrier;
    private final float[][] arrays;
    private final long[] values;

    InProcess(int world) {
      this.world = world;
      this.barrier = new CyclicBarrier(world);
      this.arrays = new float[world][];
      this.values = new long[world];
    }

    Collective at(int rank) {
      return new Collective() {
        @Override public int rank() { return rank; }
        @Override public int size() { return world; }
        @Override public void sum(java.nio.ByteBuffer data) {
          float[] mine = new float[data.limit() / 4];
          data.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(mine);
          arrays[rank] = mine;
          await();
          for (int i = 0; i < mine.length; i++) {
            float s = 0;
            for (int r = 0; r < world; r++) s += arrays[r][i];
            data.putFloat(4 * i, s);
          }
          await();
        }
        @Override public long[] gather(long value) {
          values[rank] = value;
          await();
          long[] out = values.clone();
          await();
          return out;
        }
      };
    }

    private void await() {
      try {
        barrier.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

}
