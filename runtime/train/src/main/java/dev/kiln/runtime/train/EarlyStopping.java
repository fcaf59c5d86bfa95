package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.Map;

/**
 * Stops training when a monitored quantity ({@code val_loss} by default, lower is better) has not
 * improved by more than {@code minDelta} for {@code patience} epochs; optionally restores the
 * weights (and optimizer state) of the best epoch when training ends.
 */
public final class EarlyStopping implements TrainingCallback {
  private final String monitor;
  private final int patience;
  private final double minDelta;
  private final boolean restoreBest;
  private double best;
  private int wait;
  private int bestEpoch;
  private Map<String, HostTensor> bestWeights;

  /**
   * @param monitor {@code loss} or a validation key ({@code val_loss}, {@code val_<metric>}); metrics
   *     whose name contains {@code accuracy}, {@code f1}, {@code precision}, {@code recall} or
   *     {@code auc} are maximised, everything else minimised
   */
  public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {
    if (patience < 0) throw new KilnException("early stopping patience must be >= 0, got " + patience);
    if (!(minDelta >= 0)) throw new KilnException("early stopping min delta must be >= 0, got " + minDelta);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBest = restoreBest;
  }

  /** Monitors {@code val_loss} with the given patience, min delta 0, restoring the best weights. */
  public static EarlyStopping onValLoss(int patience) { return new EarlyStopping("val_loss", patience, 0, true); }

  private boolean maximise() {
    return monitor.contains("accuracy") || monitor.contains("f1") || monitor.contains("precision") || monitor.contains("recall")
        || monitor.contains("auc");
  }

  @Override public void onFitStart(Trainer trainer) {
    best = maximise() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    wait = 0;
    bestEpoch = -1;
    bestWeights = null;
  }

  @Override public void onEpochEnd(Trainer trainer, EpochRecord log) {
    double v = log.get(monitor);
    if (Double.isNaN(v)) {
      throw new KilnException("early stopping monitors '" + monitor + "', which epoch " + log.epoch()
          + " did not report (available: loss" + (log.hasValidation() ? ", val_loss, " + String.join(", ",
          log.validationMetrics().keySet().stream().map(k -> "val_" + k).toList()) : "; pass validation data for val_*") + ")");
    }
    boolean improved = maximise() ? v > best + minDelta : v < best - minDelta;
    if (improved) {
      best = v;
      bestEpoch = log.epoch();
      wait = 0;
      if (restoreBest) bestWeights = trainer.variables();
    } else if (++wait > patience) {
      trainer.requestStop();
    }
  }

  @Override public void onFitEnd(Trainer trainer) {
    if (restoreBest && bestWeights != null) trainer.setVariables(bestWeights);
  }

  /** The epoch (numbered from 1, as in {@link History}) with the best monitored value so far, -1 before any. */
  public int bestEpoch() { return bestEpoch; }

  /** The best monitored value so far. */
  public double best() { return best; }
}
