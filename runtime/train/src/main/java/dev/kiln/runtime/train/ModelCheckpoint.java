package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.nio.file.Path;

/**
 * A callback saving {@link Trainer#saveCheckpoint} checkpoints (parameters, optimizer state, step, epochs;
 * written atomically: a reader or a crash never sees half a file):
 * <ul>
 *   <li>{@link #everySteps}: every {@code n} global steps, to a path whose {@code {step}} and {@code {epoch}}
 *       are replaced by the step and the epoch being trained (from 1); without them each save replaces the
 *       last;
 *   <li>{@link #best}: after each epoch whose {@code monitor} column (e.g. {@code val_loss}) beats every
 *       earlier epoch of this fit, to one path (so it always holds the best weights so far).
 * </ul>
 * NOTE: a checkpoint records finished epochs, so only one taken at an epoch's end resumes the run exactly (a
 * step checkpoint that falls on an epoch's last step is rewritten once the epoch has ended, so it is one);
 * one taken in mid-epoch holds that step's weights and, restored, starts its epoch over.
 */
public final class ModelCheckpoint implements TrainingCallback {
  private final String pattern;
  private final int everySteps;
  private final String monitor;
  private final History.Mode mode;
  private double best;
  private int bestEpoch = -1;
  private Path last;
  private long lastStep = -1;

  private ModelCheckpoint(String pattern, int everySteps, String monitor, History.Mode mode) {
    this.pattern = pattern;
    this.everySteps = everySteps;
    this.monitor = monitor;
    this.mode = mode;
  }

  /** Saves every {@code n} steps to {@code path} ({@code {step}} and {@code {epoch}} filled in). */
  public static ModelCheckpoint everySteps(Path path, int n) {
    if (n <= 0) throw new KilnException("checkpoint interval must be a positive number of steps, got " + n);
    return new ModelCheckpoint(path.toString(), n, null, null);
  }

  /** Saves to {@code path} after each epoch that improves {@code monitor} ({@code MIN}: lower is better). */
  public static ModelCheckpoint best(Path path, String monitor, History.Mode mode) {
    return new ModelCheckpoint(path.toString(), 0, monitor, mode);
  }

  @Override public void onFitStart(Trainer trainer) {
    best = mode == History.Mode.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    bestEpoch = -1;
  }

  @Override public void onStepEnd(Trainer trainer, long step, double loss) {
    if (everySteps > 0 && step % everySteps == 0) save(trainer, step, trainer.epochs() + 1);
  }

  @Override public void onEpochEnd(Trainer trainer, EpochRecord log) {
    // The step save just before this call recorded the epoch as unfinished: write it again as finished.
    if (everySteps > 0 && lastStep == trainer.step()) trainer.saveCheckpoint(last);
    if (monitor == null) return;
    double v = log.get(monitor);
    if (Double.isNaN(v)) {
      throw new KilnException("ModelCheckpoint monitors '" + monitor + "', which epoch " + log.epoch()
          + " did not report" + (log.hasValidation() ? "" : " (pass validation data for val_* columns)"));
    }
    if (mode == History.Mode.MAX ? v > best : v < best) {
      best = v;
      bestEpoch = log.epoch();
      save(trainer, trainer.step(), log.epoch());
    }
  }

  private void save(Trainer trainer, long step, int epoch) {
    last = Path.of(pattern.replace("{step}", Long.toString(step)).replace("{epoch}", Integer.toString(epoch)));
    Path parent = last.toAbsolutePath().getParent();
    try {
      if (parent != null) java.nio.file.Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the checkpoint directory " + parent, e);
    }
    trainer.saveCheckpoint(last);
    lastStep = step;
  }

  /** The path of the latest checkpoint written, null before any. */
  public Path last() { return last; }

  /** The epoch (from 1) whose weights the best checkpoint holds, -1 before any (or when not monitoring). */
  public int bestEpoch() { return bestEpoch; }

  /** The best monitored value so far. */
  public double best() { return best; }
}
