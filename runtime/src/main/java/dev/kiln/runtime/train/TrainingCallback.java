package dev.kiln.runtime.train;

/** Called by {@link Trainer#fit}; may ask the trainer to stop through {@link Trainer#requestStop()}. */
public interface TrainingCallback {
  /** Before the first epoch of a fit call. */
  default void onFitStart(Trainer trainer) {}

  /** After each epoch (validation included). */
  default void onEpochEnd(Trainer trainer, EpochLog log) {}

  /** After the last epoch, also when stopped early. */
  default void onFitEnd(Trainer trainer) {}
}
