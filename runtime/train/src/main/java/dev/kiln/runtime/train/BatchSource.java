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
      @Override public Iterable<Batch> epoch(int epoch) { return d.batches(batchSize, true, epochSeed(seed, epoch)); }
      @Override public int batchesPerEpoch() { return d.batchCount(batchSize); }
      @Override public Dataset dataset() { return d; }
    };
  }

  /**
   * Batches drawn with replacement by {@code sampler} (as many draws as its dataset has examples), redrawn every
   * epoch: epoch {@code e} uses the draw of seed {@code epochSeed(seed, e)}.
   */
  static BatchSource weighted(WeightedSampler sampler, int batchSize, long seed) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    return new BatchSource() {
      @Override public Iterable<Batch> epoch(int epoch) { return sampler.batches(batchSize, epochSeed(seed, epoch)); }
      @Override public int batchesPerEpoch() { return sampler.batchCount(batchSize); }
      @Override public Dataset dataset() { return sampler.dataset(); }
    };
  }

  /**
   * The shuffle (or draw) seed of an epoch: a SplitMix64 mix of the seed and the epoch, so epochs differ; what
   * {@link Trainer#fit} uses, for custom loops that want the same batches.
   */
  public static long epochSeed(long seed, int epoch) {
    long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
