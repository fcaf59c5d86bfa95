package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * An in-memory dataset: features and labels with examples along axis 0. Batches are cut by bulk row
 * copies (never element by element); shuffling is a seeded permutation, so the same seed gives the
 * same batches.
 */
public final class Dataset {
  private final HostTensor features;
  private final HostTensor labels;

  public Dataset(HostTensor features, HostTensor labels) {
    if (features.rank() == 0 || labels.rank() == 0) throw new KilnException("features and labels need an example axis (axis 0)");
    if (features.shape()[0] != labels.shape()[0]) {
      throw new KilnException("features have " + features.shape()[0] + " examples but labels have " + labels.shape()[0]);
    }
    if (features.shape()[0] == 0) throw new KilnException("the dataset is empty");
    this.features = features;
    this.labels = labels;
  }

  public int size() { return (int) features.shape()[0]; }

  public HostTensor features() { return features; }

  public HostTensor labels() { return labels; }

  /** The examples at {@code indices}, in that order. */
  public Dataset subset(int[] indices) {
    return new Dataset(rows(features, indices), rows(labels, indices));
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
    return () -> new Iterator<>() {
      private int next = 0;

      @Override public boolean hasNext() { return next < size(); }

      @Override public Batch next() {
        if (!hasNext()) throw new NoSuchElementException();
        int end = Math.min(size(), next + batchSize);
        Batch b;
        if (order == null) {
          b = new Batch(range(features, next, end), range(labels, next, end));
        } else {
          int[] idx = Arrays.copyOfRange(order, next, end);
          b = new Batch(rows(features, idx), rows(labels, idx));
        }
        next = end;
        return b;
      }
    };
  }

  /** Number of batches of {@code batchSize}. */
  public int batchCount(int batchSize) { return (size() + batchSize - 1) / batchSize; }

  static HostTensor range(HostTensor t, int from, int to) {
    int row = rowBytes(t);
    ByteBuffer b = t.buffer();
    b.position(from * row).limit(to * row);
    long[] shape = t.shape();
    shape[0] = to - from;
    return HostTensor.ofBuffer(t.dtype(), shape, b.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  static HostTensor rows(HostTensor t, int[] idx) {
    int row = rowBytes(t);
    int n = (int) t.shape()[0];
    ByteBuffer src = t.buffer();
    ByteBuffer dst = ByteBuffer.allocate(Math.multiplyExact(idx.length, row)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i : idx) {
      if (i < 0 || i >= n) throw new KilnException("example index " + i + " is out of range 0.." + (n - 1));
      dst.put(src.slice(i * row, row));
    }
    dst.flip();
    long[] shape = t.shape();
    shape[0] = idx.length;
    return HostTensor.ofBuffer(t.dtype(), shape, dst);
  }

  private static int rowBytes(HostTensor t) {
    long[] s = t.shape();
    long per = 1;
    for (int i = 1; i < s.length; i++) per *= s[i];
    return Math.toIntExact(per * t.dtype().byteSize());
  }

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
}
