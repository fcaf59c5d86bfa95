package dev.kiln.runtime.spark;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.train.TrainerBuilder;
import java.io.Serializable;

/**
 * What every replica of a Spark training run builds for itself: the same trainer configuration (model, loss,
 * optimizer, schedule, seed, metrics) and the training data. Spark ships the recipe to each barrier task, so it must
 * be serializable and must not capture the data itself: load it ({@code FashionMnist.train(dir)}, a file on shared
 * storage), so that each executor reads it once.
 */
public interface TrainingRecipe extends Serializable {
  /** A fresh builder of the trainer; its seed fixes the initial parameters and the per-epoch reshuffles. */
  TrainerBuilder trainer();

  /** The training examples; every replica takes its shard of each global batch. */
  Dataset data();

  /** Called on every replica after each global step (1-based); for logging, or a test that fails a task on purpose. */
  default void onStep(int rank, long step, double loss) {}
}
