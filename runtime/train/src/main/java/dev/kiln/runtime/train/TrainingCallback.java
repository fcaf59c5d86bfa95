package dev.kiln.runtime.train;

/** Called by {@link Trainer#fit}; may ask the trainer to stop through {@link Trainer#requestStop()}. */
public interface TrainingCallback {
  /** Before the first epoch of a fit call. */
  default void onFitStart(Trainer trainer) {}

  /** After each train step, with its 1-based global step and loss (keep it cheap: it runs per batch). */
  default void onStepEnd(Trainer trainer, long step, double loss) {}

  /** After each epoch (validation included). */
  default void onEpochEnd(Trainer trainer, EpochRecord log) {}

  /** After the last epoch, also when stopped early. */
  default void onFitEnd(Trainer trainer) {}
}
