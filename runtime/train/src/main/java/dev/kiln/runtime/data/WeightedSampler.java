package dev.kiln.runtime.data;

import dev.kiln.spec.KilnException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Draws batches from a {@link Dataset} with replacement, example i with probability proportional to
 * its weight (e.g. {@link Dataset#classBalancedWeights()} to over-sample rare classes). An epoch is as
 * many draws as the dataset has examples, unless set otherwise. The dataset's {@link Dataset#map}
 * augmentation, if any, is applied to each batch.
 */
public final class WeightedSampler {
  private final Dataset dataset;
  private final double[] cumulative;
  private final long seed;

  WeightedSampler(Dataset dataset, double[] weights, long seed) {
    if (weights.length != dataset.size()) {
      throw new KilnException("weighted sampling needs one weight per example: " + dataset.size() + " examples, "
          + weights.length + " weights");
    }
    this.dataset = dataset;
    this.seed = seed;
    this.cumulative = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      double w = weights[i];
      if (!(w >= 0) || Double.isInfinite(w)) throw new KilnException("weight " + w + " at index " + i + " must be finite and >= 0");
      sum += w;
      cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new KilnException("weighted sampling needs a positive weight somewhere; all are 0");
  }

  /** The underlying dataset. */
  public Dataset dataset() { return dataset; }

  /** {@code draws} seeded example indices drawn with replacement by weight. */
  public int[] sample(int draws, long epochSeed) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epochSeed);
    double total = cumulative[cumulative.length - 1];
    int[] out = new int[draws];
    for (int k = 0; k < draws; k++) {
      double u = r.nextDouble() * total;
      // First index whose cumulative weight exceeds u: zero-weight examples are never picked.
      int i = Arrays.binarySearch(cumulative, u);
      i = i >= 0 ? i + 1 : -i - 1;
      while (i < cumulative.length - 1 && cumulative[i] <= u) i++;
      out[k] = Math.min(i, cumulative.length - 1);
    }
    return out;
  }

  /** One epoch of {@code dataset.size()} draws, cut into batches; {@code epochSeed} varies the draws per epoch. */
  public Iterable<Batch> batches(int batchSize, long epochSeed) {
    return batches(batchSize, dataset.size(), epochSeed);
  }

  /** {@code draws} weighted draws cut into batches of {@code batchSize} (the last may be smaller). */
  public Iterable<Batch> batches(int batchSize, int draws, long epochSeed) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    if (draws <= 0) throw new KilnException("draw count must be positive, got " + draws);
    return () -> new Iterator<>() {
      private final int[] idx = sample(draws, epochSeed);
      private final Augment augment = dataset.augment();
      private final SplittableRandom rng = new SplittableRandom(epochSeed ^ 0x5DEECE66DL);
      private int next = 0;

      @Override public boolean hasNext() { return next < idx.length; }

      @Override public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int end = Math.min(idx.length, next + batchSize);
        Dataset part = dataset.subset(Arrays.copyOfRange(idx, next, end));
        next = end;
        Batch b = part.asBatch();
        return augment == null ? b : augment.apply(b, rng);
      }
    };
  }

  /** Number of batches in one epoch of {@code dataset.size()} draws. */
  public int batchCount(int batchSize) { return dataset.batchCount(batchSize); }
}
