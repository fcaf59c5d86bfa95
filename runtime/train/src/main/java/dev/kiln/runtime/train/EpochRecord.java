package dev.kiln.runtime.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch of training, numbered from 1 (the first epoch ever trained, counting epochs restored from a
 * checkpoint): losses and metric values on the training and validation data (validation loss NaN and
 * validation metrics empty when there is no validation set), the learning rate (the mean of the rates the
 * epoch's steps used, which is the epoch's rate under a per-epoch schedule) and the epoch's wall-clock seconds. Metric maps keep their insertion order.
 */
public record EpochRecord(int epoch, double trainLoss, Map<String, Double> trainMetrics, double validationLoss,
    Map<String, Double> validationMetrics, double learningRate, double seconds) {

  /** Copies the maps (order kept) so a record never changes after it is made. */
  public EpochRecord {
    trainMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(trainMetrics));
    validationMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(validationMetrics));
  }

  /** True when validation was measured. */
  public boolean hasValidation() { return !Double.isNaN(validationLoss); }

  /**
   * A value by column name: {@code loss}, {@code val_loss}, a training metric such as {@code accuracy},
   * the same prefixed {@code val_}, {@code lr}, {@code seconds}; NaN when absent.
   */
  public double get(String column) {
    switch (column) {
      case "epoch": return epoch;
      case "loss": return trainLoss;
      case "val_loss": return validationLoss;
      case "lr": return learningRate;
      case "seconds": return seconds;
      default:
        if (column.startsWith("val_")) return validationMetrics.getOrDefault(column.substring(4), Double.NaN);
        return trainMetrics.getOrDefault(column, Double.NaN);
    }
  }
}
