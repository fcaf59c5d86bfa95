package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.WeightedSampler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 20: a training loop of one's own gives what fit gives; fit takes a sampler redrawn each epoch. */
class CustomLoopTest {
  @Test
  void aLoopOfTrainStepsMatchesFitExactly() {
    Dataset d = TrainerTest.regression(64, 4, 1);
    float[] byFit;
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      t.fit(d, null, 1, 16);
      byFit = t.variables().get("fc1.weight").toFloats();
    }
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      long step = 0;
      Batch all = d.batches(64, false, 0).iterator().next();
      double before = t.evalStep(all).loss();
      // fit's own batches: seed 11 (TrainerTest.sgd), epoch 0
      for (Batch b : d.batches(16, true, BatchSource.epochSeed(11, 0))) {
        StepResult r = t.trainStep(b);
        assertEquals(++step, r.step());
        assertEquals(0.002, r.learningRate(), 1e-12);
        assertTrue(Double.isFinite(r.loss()));
      }
      assertArrayEquals(byFit, t.variables().get("fc1.weight").toFloats(), 0f, "same batches, same steps, same weights");
      StepResult e = t.evalStep(all);
      assertTrue(e.loss() < before, "trained: " + before + " -> " + e.loss());
      assertEquals(t.evaluate(d, 64).get("loss"), e.loss(), 1e-6 * Math.abs(e.loss()));
      assertEquals(step, e.step(), "evaluation does not advance the step");
    }
  }

  @Test
  void fitTakesAWeightedSamplerRedrawnEachEpoch() {
    Dataset d = TrainerTest.regression(64, 5, 1);
    double[] w = new double[64];
    for (int i = 0; i < w.length; i++) w[i] = i < 8 ? 10 : 1;  // the first 8 examples drawn ~10x as often
    WeightedSampler sampler = d.withWeightedSampling(w, 3);
    BatchSource source = BatchSource.weighted(sampler, 16, 9);
    assertFalse(firstLabels(source, 0).equals(firstLabels(source, 1)), "each epoch draws afresh");
    assertEquals(firstLabels(source, 1), firstLabels(source, 1), "and the draw of an epoch is fixed by the seed");
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      History h = t.fit(source, d, 3);
      assertEquals(3, h.records().size());
      assertEquals(3L * source.batchesPerEpoch(), t.step());
    }
  }

  @Test
  void aCheckpointRestoresBeforeTheFirstFitWithoutDeclaringTheLabels() throws Exception {
    Dataset d = TrainerTest.regression(64, 6, 1);
    java.nio.file.Path ckpt = java.nio.file.Files.createTempDirectory("kiln-ckpt").resolve("c.ckpt");
    float[] straight;
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      t.fit(d, null, 1, 16);
      t.saveCheckpoint(ckpt);
      t.fit(d, null, 1, 16);
      straight = t.variables().get("fc1.weight").toFloats();
    }
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      t.restore(ckpt);  // no TrainerBuilder.labels(...): applied when the first fit compiles
      assertEquals(1, t.epochs());
      t.fit(d, null, 1, 16);
      assertArrayEquals(straight, t.variables().get("fc1.weight").toFloats(), 0f, "resumed exactly");
    }
  }

  private static List<Float> firstLabels(BatchSource s, int epoch) {
    List<Float> out = new ArrayList<>();
    for (float f : s.epoch(epoch).iterator().next().labels().toFloats()) out.add(f);
    return out;
  }
}
