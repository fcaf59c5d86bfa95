package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.WeightedSampler;
import dev.kiln.spec.KilnException;

/**
 * Where {@link Trainer#fit(BatchSource, Dataset, int)} takes each epoch's batches from: a shuffled dataset, a
 * weighted sampler drawn afresh every epoch, or any iterable of batches a custom pipeline makes.
 */
public interface BatchSource {
  /** The batches of epoch {@code epoch} (0-based, counted over the trainer's life). */
  Iterable<Batch> epoch(int epoch);

  /** Batches per epoch, for the progress bar (0: not known). */
  default int batchesPerEpoch() { return 0; }

  /** The examples the batches come from, checked against the model before the first step (null: not known). */
  default Dataset dataset() { return null; }

  /** {@code d} in shuffled batches of {@code batchSize}, a different order each epoch, fixed by {@code seed}. */
  static BatchSource shuffled(Dataset d, int batchSize, long seed) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    return new BatchSource() {
      @Override public Iterable<Batch> epoch(int epoch) { return d.batches(batchSize, true, Trainer.shuffleSeed(seed, epoch)); }
      @Override public int batchesPerEpoch() { return d.batchCount(batchSize); }
      @Override public Dataset dataset() { return d; }
    };
  }

  /**
   * Batches drawn with replacement by {@code sampler} (as many draws as its dataset has examples), redrawn every
   * epoch: epoch {@code e} uses the draw of seed {@code Trainer.shuffleSeed(seed, e)}.
   */
  static BatchSource weighted(WeightedSampler sampler, int batchSize, long seed) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    return new BatchSource() {
      @Override public Iterable<Batch> epoch(int epoch) { return sampler.batches(batchSize, Trainer.shuffleSeed(seed, epoch)); }
      @Override public int batchesPerEpoch() { return sampler.batchCount(batchSize); }
      @Override public Dataset dataset() { return sampler.dataset(); }
    };
  }
}
