package dev.kiln.runtime.train;

import java.util.List;

/**
 * The record of one {@link Trainer#fit} call: per-epoch logs and every step's loss in order (the
 * sequence a seeded run reproduces bit for bit). A stand-in until the project's {@code History} is merged.
 */
public record FitLog(List<EpochLog> epochs, double[] stepLosses, boolean stoppedEarly) {
  /** The last epoch's log. */
  public EpochLog last() { return epochs.get(epochs.size() - 1); }
}
