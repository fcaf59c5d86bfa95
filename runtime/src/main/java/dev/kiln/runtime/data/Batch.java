package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;

/**
 * One mini-batch: features and labels with the batch as axis 0. A shuffled batch's features stay
 * {@link Rows} of the dataset until someone asks for {@link #features()}: a trainer feeding a back end
 * copies them straight into the back end's tensor ({@link #featureRows()}) instead.
 */
public final class Batch {
  private HostTensor features;
  private final Rows rows;
  private final HostTensor labels;

  /** A batch of {@code features} and {@code labels}. */
  public Batch(HostTensor features, HostTensor labels) {
    this.features = features;
    this.rows = null;
    this.labels = labels;
  }

  /** A batch whose features are {@code rows}, gathered on first use. */
  public Batch(Rows rows, HostTensor labels) {
    this.features = null;
    this.rows = rows;
    this.labels = labels;
  }

  /** The features (for a batch of rows: gathered into a host tensor on the first call). */
  public HostTensor features() {
    if (features == null) features = rows.gather();
    return features;
  }

  public HostTensor labels() { return labels; }

  /** The features as rows of the dataset's tensor when the batch was cut that way, else null. */
  public Rows featureRows() { return rows; }

  public int size() { return rows != null ? rows.count() : (int) features.shape()[0]; }
}
