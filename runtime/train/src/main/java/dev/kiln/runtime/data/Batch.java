package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.List;

/**
 * One mini-batch: features and labels with the batch as axis 0. The features are one tensor (for a model's
 * only input) or several named ones (one per model input, from {@link Dataset#of}). A shuffled batch's features
 * stay {@link Rows} of the dataset until someone asks for {@link #features()}: a trainer feeding a back end
 * copies them straight into the back end's tensor ({@link #featureRows()}) instead.
 */
public final class Batch {
  private final List<String> names;
  private final HostTensor[] features;
  private final Rows[] rows;
  private final HostTensor labels;

  /** A batch of {@code features} and {@code labels}. */
  public Batch(HostTensor features, HostTensor labels) {
    this(List.of(), new HostTensor[] {features}, new Rows[1], labels);
  }

  /** A batch whose features are {@code rows}, gathered on first use. */
  public Batch(Rows rows, HostTensor labels) {
    this(List.of(), new HostTensor[1], new Rows[] {rows}, labels);
  }

  /** Named features ({@code names} empty: one unnamed tensor), each given as a tensor or as rows. */
  Batch(List<String> names, HostTensor[] features, Rows[] rows, HostTensor labels) {
    this.names = List.copyOf(names);
    this.features = features;
    this.rows = rows;
    this.labels = labels;
  }

  /** The features (for a batch of rows: gathered into a host tensor on the first call); the batch must have one tensor. */
  public HostTensor features() { return features(only()); }

  public HostTensor labels() { return labels; }

  /** The features as rows of the dataset's tensor when the batch was cut that way, else null; one tensor only. */
  public Rows featureRows() { return rows[only()]; }

  /** The names of the feature tensors, in order; empty when the batch has one unnamed tensor. */
  public List<String> inputNames() { return names; }

  /** The named feature tensor (gathered on first use). */
  public HostTensor features(String name) { return features(index(name)); }

  /** The named features as rows of the dataset's tensor, or null when they are a tensor. */
  public Rows featureRows(String name) { return rows[index(name)]; }

  public int size() { return rows[0] != null ? rows[0].count() : (int) features[0].shape()[0]; }

  private HostTensor features(int i) {
    if (features[i] == null) features[i] = rows[i].gather();
    return features[i];
  }

  private int only() {
    if (features.length != 1) throw new KilnException("the batch has several inputs " + names + ": ask for one by name");
    return 0;
  }

  private int index(String name) {
    int i = names.indexOf(name);
    if (i < 0) throw new KilnException("the batch has no input '" + name + "'; it has " + names);
    return i;
  }
}
