package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * An in-memory dataset: features and labels with examples along axis 0. The features are one tensor (for a
 * model with one input) or, from {@link #of}, one named tensor per model input. Batches are cut by bulk row
 * copies (never element by element); shuffling is a seeded permutation, so the same seed gives the
 * same batches. Splits ({@link #split}, {@link #kFold}, {@link #stratifiedSplit}) and subsets give
 * plain datasets: apply {@link #map} augmentation after splitting, to the training side.
 */
public final class Dataset {
  /** The feature tensors' names, empty for one unnamed tensor. */
  private final List<String> names;
  private final List<HostTensor> inputs;
  private final HostTensor labels;
  private final Augment augment;

  /** A dataset of {@code features} and {@code labels}, examples along axis 0 of both. */
  public Dataset(HostTensor features, HostTensor labels) {
    this(List.of(), List.of(features), labels, null);
  }

  /**
   * A dataset with several feature tensors, one per model input by name (in the map's order), and
   * {@code labels}; examples along axis 0 of each.
   */
  public static Dataset of(Map<String, HostTensor> inputs, HostTensor labels) {
    if (inputs.isEmpty()) throw new KilnException("a dataset needs at least one feature tensor");
    return new Dataset(List.copyOf(inputs.keySet()), List.copyOf(inputs.values()), labels, null);
  }

  private Dataset(List<String> names, List<HostTensor> inputs, HostTensor labels, Augment augment) {
    for (int i = 0; i < inputs.size(); i++) {
      HostTensor f = inputs.get(i);
      String what = names.isEmpty() ? "features" : "features '" + names.get(i) + "'";
      if (f.rank() == 0 || labels.rank() == 0) throw new KilnException(what + " and labels need an example axis (axis 0)");
      if (f.shape()[0] != labels.shape()[0]) {
        throw new KilnException(what + " have " + f.shape()[0] + " examples but labels have " + labels.shape()[0]);
      }
    }
    if (labels.rank() > 0 && labels.shape()[0] == 0) throw new KilnException("the dataset is empty");
    this.names = names;
    this.inputs = inputs;
    this.labels = labels;
    this.augment = augment;
  }

  public int size() { return (int) labels.shape()[0]; }

  /** The features, when the dataset has one feature tensor. */
  public HostTensor features() {
    if (inputs.size() != 1) throw new KilnException("the dataset has several inputs " + names + ": use features(name)");
    return inputs.get(0);
  }

  /** The names of the feature tensors, in order; empty when the dataset has one unnamed tensor. */
  public List<String> inputNames() { return names; }

  /** The named feature tensor. */
  public HostTensor features(String name) {
    int i = names.indexOf(name);
    if (i < 0) throw new KilnException("the dataset has no input '" + name + "'; it has " + names);
    return inputs.get(i);
  }

  /** The feature tensors by name (empty when the dataset has one unnamed tensor: use {@link #features()}). */
  public Map<String, HostTensor> inputs() {
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) m.put(names.get(i), inputs.get(i));
    return m;
  }

  public HostTensor labels() { return labels; }

  /** The batch augmentation set by {@link #map}, or null. */
  Augment augment() { return augment; }

  /** The examples at {@code indices}, in that order. */
  public Dataset subset(int[] indices) {
    return new Dataset(names, inputs.stream().map(f -> rows(f, indices)).toList(), rows(labels, indices), null);
  }

  /** A seeded random permutation of 0..n-1 (Fisher-Yates). */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Batches in order ({@code shuffle} false) or in a seeded random order; the last batch may be smaller. */
  public Iterable<Batch> batches(int batchSize, boolean shuffle, long seed) {
    if (batchSize <= 0) throw new KilnException("batch size must be positive, got " + batchSize);
    int[] order = shuffle ? permutation(size(), seed) : null;
    // NOTE: the augmentation stream is derived from the seed but differs from the shuffle's stream.
    SplittableRandom rng = augment == null ? null : new SplittableRandom(seed ^ 0x5DEECE66DL);
    return () -> new Iterator<>() {
      private int next = 0;

      @Override public boolean hasNext() { return next < size(); }

      @Override public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int end = Math.min(size(), next + batchSize);
        int n = inputs.size();
        Batch b;
        if (order == null) {
          HostTensor[] fs = new HostTensor[n];
          for (int i = 0; i < n; i++) fs[i] = range(inputs.get(i), next, end);
          b = new Batch(names, fs, new Rows[n], range(labels, next, end));
        } else {
          int[] idx = Arrays.copyOfRange(order, next, end);
          // NOTE: the features stay rows of this dataset until asked for; a trainer copies them once,
          // straight into its back end's tensor.
          Rows[] rs = new Rows[n];
          for (int i = 0; i < n; i++) rs[i] = new Rows(inputs.get(i), idx);
          b = new Batch(names, new HostTensor[n], rs, rows(labels, idx));
        }
        next = end;
        return augment == null ? b : augment.apply(b, rng);
      }
    };
  }

  /** All examples as one batch, in order. */
  Batch asBatch() { return new Batch(names, inputs.toArray(new HostTensor[0]), new Rows[inputs.size()], labels); }

  /** Number of batches of {@code batchSize}. */
  public int batchCount(int batchSize) { return (size() + batchSize - 1) / batchSize; }

  static HostTensor range(HostTensor t, int from, int to) {
    int row = Rows.rowBytes(t);
    ByteBuffer b = t.buffer();
    b.position(from * row).limit(to * row);
    long[] shape = t.shape();
    shape[0] = to - from;
    // NOTE: a view of t's read-only bytes, no copy.
    return HostTensor.adopt(t.dtype(), shape, b.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  static HostTensor rows(HostTensor t, int[] idx) { return new Rows(t, idx).gather(); }

  /** Splits off the last {@code fraction} of a seeded shuffle as validation. */
  public List<Dataset> split(double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) throw new KilnException("split fraction must be in (0, 1), got " + fraction);
    int[] p = permutation(size(), seed);
    int nVal = (int) Math.round(size() * fraction);
    if (nVal == 0 || nVal == size()) throw new KilnException("split of " + size() + " examples at " + fraction + " leaves a side empty");
    List<Dataset> out = new ArrayList<>();
    out.add(subset(Arrays.copyOfRange(p, 0, size() - nVal)));
    out.add(subset(Arrays.copyOfRange(p, size() - nVal, size())));
    return out;
  }

  /** A view of this dataset whose batches pass through {@code augment}, seeded from the batches' seed. */
  public Dataset map(Augment augment) {
    return new Dataset(names, inputs, labels, this.augment == null ? augment : this.augment.then(augment));
  }

  /** {@code k} train/validation pairs from one seeded shuffle; each example is in exactly one validation fold. */
  public List<Split> kFold(int k, long seed) {
    if (k < 2 || k > size()) throw new KilnException("k-fold needs 2 <= k <= " + size() + " (the example count), got " + k);
    int[] p = permutation(size(), seed);
    List<Split> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      // Fold f takes positions [f*n/k, (f+1)*n/k): sizes differ by at most one.
      int from = (int) ((long) f * size() / k);
      int to = (int) ((long) (f + 1) * size() / k);
      int[] train = new int[size() - (to - from)];
      System.arraycopy(p, 0, train, 0, from);
      System.arraycopy(p, to, train, from, size() - to);
      folds.add(new Split(subset(train), subset(Arrays.copyOfRange(p, from, to))));
    }
    return folds;
  }

  /**
   * Splits off about {@code fraction} of each class (integer labels) as validation, so both sides
   * keep the class proportions. Every class with at least two examples keeps one on each side.
   */
  public Split stratifiedSplit(double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) throw new KilnException("split fraction must be in (0, 1), got " + fraction);
    long[] y = labelValues();
    int[] p = permutation(size(), seed);
    java.util.TreeMap<Long, List<Integer>> byClass = new java.util.TreeMap<>();
    for (int i : p) byClass.computeIfAbsent(y[i], c -> new ArrayList<>()).add(i);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (List<Integer> members : byClass.values()) {
      int m = members.size();
      int nVal = (int) Math.round(m * fraction);
      if (m >= 2) nVal = Math.max(1, Math.min(m - 1, nVal));
      train.addAll(members.subList(0, m - nVal));
      val.addAll(members.subList(m - nVal, m));
    }
    if (train.isEmpty() || val.isEmpty()) {
      throw new KilnException("stratified split of " + size() + " examples at " + fraction + " leaves a side empty");
    }
    // Shuffled again so the sides are not ordered by class.
    return new Split(subset(shuffled(train, seed + 1)), subset(shuffled(val, seed + 2)));
  }

  private static int[] shuffled(List<Integer> idx, long seed) {
    int[] p = permutation(idx.size(), seed);
    int[] out = new int[idx.size()];
    for (int i = 0; i < out.length; i++) out[i] = idx.get(p[i]);
    return out;
  }

  /** A sampler drawing examples with replacement, example i with probability weights[i] / sum(weights). */
  public WeightedSampler withWeightedSampling(double[] weights, long seed) {
    return new WeightedSampler(this, weights, seed);
  }

  /** Per-example weights 1 / (count of its class), so every class is drawn equally often. */
  public double[] classBalancedWeights() {
    long[] y = labelValues();
    java.util.HashMap<Long, Integer> counts = new java.util.HashMap<>();
    for (long c : y) counts.merge(c, 1, Integer::sum);
    double[] w = new double[y.length];
    for (int i = 0; i < y.length; i++) w[i] = 1.0 / counts.get(y[i]);
    return w;
  }

  /**
   * Features standardised as (x - mean) / std, per channel (axis 1) when {@code mean} has one entry per
   * channel, or for all features when it has one entry. Computed once here, not per batch.
   */
  public Dataset normalize(double[] mean, double[] std) {
    if (mean.length != std.length) throw new KilnException("normalize needs as many stds as means: " + mean.length + " vs " + std.length);
    HostTensor features = features();
    if (features.dtype() != dev.kiln.spec.DType.F32) throw new KilnException("normalize needs f32 features, found " + features.dtype());
    long[] s = features.shape();
    int channels = s.length >= 2 ? (int) s[1] : 1;
    if (mean.length != 1 && mean.length != channels) {
      throw new KilnException("normalize needs 1 or " + channels + " (axis 1) means, got " + mean.length);
    }
    for (double d : std) if (!(d > 0)) throw new KilnException("normalize needs positive stds, got " + d);
    float[] v = ImageBatch.floats(features);
    int inner = (int) (v.length / ((long) size() * channels));
    for (int i = 0; i < v.length; i++) {
      int c = mean.length == 1 ? 0 : (i / inner) % channels;
      v[i] = (float) ((v[i] - mean[c]) / std[c]);
    }
    return new Dataset(names, List.of(HostTensor.ofFloats(v, s)), labels, augment);
  }

  /** Checks integer labels lie in 0..classes-1; the error names the first bad label and its index. */
  public void checkLabels(int classes) {
    long[] y = labelValues();
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= classes) {
        throw new KilnException("label " + y[i] + " at index " + i + " is out of range 0.." + (classes - 1)
            + " for " + classes + " classes");
      }
    }
  }

  /** The labels as class ids: integer dtype, one per example ([N] or [N, 1]). */
  public long[] labelValues() {
    if (!labels.dtype().isInteger() || labels.size() != size()) {
      throw new KilnException("expected integer class labels [" + size() + "], found " + labels.type());
    }
    long[] y = new long[size()];
    for (int i = 0; i < y.length; i++) y[i] = labels.getLong(i);
    return y;
  }

  /** A training set and its validation set. */
  public record Split(Dataset train, Dataset validation) {}
}
