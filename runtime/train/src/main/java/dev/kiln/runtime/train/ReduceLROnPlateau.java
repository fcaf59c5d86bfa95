package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;

/**
 * Lowers the learning rate by {@code factor} when a monitored quantity ({@code val_loss} by default) has not improved
 * for {@code patience} epochs: a {@link LearningRateSchedule} that is also a {@link TrainingCallback} (given to
 * {@link TrainerBuilder#schedule}, the trainer registers it as a callback too).
 *
 * <p>Semantics of PyTorch's {@code torch.optim.lr_scheduler.ReduceLROnPlateau}: an epoch improves when the value beats
 * the best by the relative threshold (min mode: v &lt; best (1 - threshold); max mode: v &gt; best (1 + threshold)) or,
 * in absolute threshold mode, by the threshold; after more than {@code patience} epochs without improvement the rate
 * becomes max(rate factor, minLr) (a change smaller than eps 1e-8 is skipped) and {@code cooldown} epochs follow in
 * which bad epochs are not counted. Quantities whose name contains accuracy, f1, precision, recall or auc are
 * maximised, others minimised (or say so with {@link #mode}).
 */
public final class ReduceLROnPlateau implements LearningRateSchedule, TrainingCallback {
  private static final double EPS = 1e-8;
  private final String monitor;
  private final double initial;
  private double factor = 0.1;
  private int patience = 10;
  private double threshold = 1e-4;
  private boolean relative = true;
  private int cooldown;
  private double minLr;
  private Boolean maximise;
  private double lr;
  private double best;
  private int bad;
  private int cooldownLeft;
  private boolean started;

  /** Starts at {@code lr}, monitoring {@code monitor} ({@code loss}, {@code val_loss}, {@code val_<metric>}, ...). */
  public ReduceLROnPlateau(String monitor, double lr) {
    if (!(lr > 0)) throw new KilnException("ReduceLROnPlateau: initial rate must be > 0, got " + lr);
    this.monitor = monitor;
    this.initial = lr;
    this.lr = lr;
  }

  /** The rate's multiplier on a plateau, in (0, 1) (default 0.1). */
  public ReduceLROnPlateau factor(double f) {
    if (!(f > 0 && f < 1)) throw new KilnException("ReduceLROnPlateau: factor must be in (0, 1), got " + f);
    this.factor = f;
    return this;
  }

  /** Epochs without improvement tolerated before lowering the rate (default 10). */
  public ReduceLROnPlateau patience(int p) {
    if (p < 0) throw new KilnException("ReduceLROnPlateau: patience must be >= 0, got " + p);
    this.patience = p;
    return this;
  }

  /** The improvement threshold, relative (default, 1e-4) or absolute. */
  public ReduceLROnPlateau threshold(double t, boolean isRelative) {
    if (!(t >= 0)) throw new KilnException("ReduceLROnPlateau: threshold must be >= 0, got " + t);
    this.threshold = t;
    this.relative = isRelative;
    return this;
  }

  /** Epochs after a reduction in which bad epochs are not counted (default 0). */
  public ReduceLROnPlateau cooldown(int c) {
    if (c < 0) throw new KilnException("ReduceLROnPlateau: cooldown must be >= 0, got " + c);
    this.cooldown = c;
    return this;
  }

  /** The lowest rate (default 0). */
  public ReduceLROnPlateau minLr(double m) {
    if (!(m >= 0)) throw new KilnException("ReduceLROnPlateau: min rate must be >= 0, got " + m);
    this.minLr = m;
    return this;
  }

  /** Whether larger values are better ("max" mode) rather than guessing from the name. */
  public ReduceLROnPlateau mode(boolean max) {
    this.maximise = max;
    return this;
  }

  private boolean maximising() {
    if (maximise != null) return maximise;
    String m = monitor.toLowerCase(java.util.Locale.ROOT);
    return m.contains("accuracy") || m.contains("f1") || m.contains("precision") || m.contains("recall") || m.contains("auc");
  }

  @Override public double rate(int epoch, long step) { return lr; }

  /** The current rate. */
  public double current() { return lr; }

  /** Feeds one epoch's value of the monitored quantity (what {@link #onEpochEnd} does); returns the rate after it. */
  public double observe(double v) {
    if (!started) {
      best = maximising() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      started = true;
    }
    if (better(v)) {
      best = v;
      bad = 0;
    } else {
      bad++;
    }
    if (cooldownLeft > 0) {
      cooldownLeft--;
      bad = 0;
    }
    if (bad > patience) {
      double next = Math.max(lr * factor, minLr);
      if (lr - next > EPS) lr = next;
      cooldownLeft = cooldown;
      bad = 0;
    }
    return lr;
  }

  private boolean better(double v) {
    // NaN never improves (every comparison with it is false), so a diverging run gets its rate lowered.
    if (maximising()) return relative ? v > best * (1 + threshold) : v > best + threshold;
    return relative ? v < best * (1 - threshold) : v < best - threshold;
  }

  @Override public void onEpochEnd(Trainer trainer, EpochRecord log) {
    double v = log.get(monitor);
    if (Double.isNaN(v)) {
      throw new KilnException("ReduceLROnPlateau monitors '" + monitor + "', which epoch " + log.epoch() + " did not report"
          + " (NaN or absent; available: loss" + (log.hasValidation() ? ", val_loss, " + String.join(", ",
          log.validationMetrics().keySet().stream().map(k -> "val_" + k).toList()) : "; pass validation data for val_*") + ")");
    }
    observe(v);
  }

  /** Back to the initial rate and a fresh plateau count. */
  public void reset() {
    lr = initial;
    bad = 0;
    cooldownLeft = 0;
    started = false;
  }
}
