package dev.kiln.runtime.train;

import java.util.Map;

/**
 * What one epoch of {@link Trainer#fit} measured.
 *
 * @param epoch 0-based epoch number (continuing after a restored checkpoint)
 * @param loss the mean train loss over the epoch's steps
 * @param validation validation loss ({@code val_loss}) and metrics ({@code val_<name>}), empty without validation data
 * @param seconds wall time of the epoch
 */
public record EpochLog(int epoch, double loss, Map<String, Double> validation, double seconds) {
  /** A monitored quantity: {@code loss}, or a validation key such as {@code val_loss}; NaN when absent. */
  public double get(String key) {
    if (key.equals("loss")) return loss;
    Double v = validation.get(key);
    return v == null ? Double.NaN : v;
  }
}
