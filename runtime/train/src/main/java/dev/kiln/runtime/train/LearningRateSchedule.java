package dev.kiln.runtime.train;

/** The learning rate for a step, computed on the host and fed to the train-step graph as a scalar. */
@FunctionalInterface
public interface LearningRateSchedule {
  /**
   * @param epoch 0-based epoch
   * @param step 0-based global step (batches seen so far)
   */
  double rate(int epoch, long step);
}
