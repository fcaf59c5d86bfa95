package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A callback writing TensorBoard event files ({@code tensorboard --logdir DIR}) into a log directory:
 * <ul>
 *   <li>{@code batch/loss} and {@code batch/lr} (the rate that step used) every {@link #everySteps} train
 *       steps, at the global step;
 *   <li>{@code epoch/<column>} for every {@link History} column but {@code epoch} and {@code seconds}
 *       ({@code loss}, metrics, {@code val_loss}, {@code val_<metric>}, {@code lr}) after each epoch, at the
 *       epoch number (from 1);
 *   <li>with {@link #histograms}, {@code weights/<parameter>} histograms of the trainable parameters after
 *       each epoch (this reads every weight back from the back end, so it costs a copy of the model).
 * </ul>
 * Each {@link Trainer#fit} call writes a new file {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>};
 * records are flushed to the OS as they are written and synced to disk after each epoch.
 */
public final class TensorBoardLogger implements TrainingCallback {
  private final Path dir;
  private int everySteps = 1;
  private boolean histograms;
  private int files;
  private TfRecordWriter writer;
  private Path file;

  private TensorBoardLogger(Path dir) { this.dir = dir; }

  /** A logger writing into {@code logDir} (created when missing). */
  public static TensorBoardLogger to(Path logDir) { return new TensorBoardLogger(logDir); }

  /** Logs the step scalars every {@code n} steps (default 1; 0 turns them off). */
  public TensorBoardLogger everySteps(int n) {
    if (n < 0) throw new KilnException("TensorBoard step interval must be >= 0, got " + n);
    this.everySteps = n;
    return this;
  }

  /** Whether to log weight histograms after each epoch (default off). */
  public TensorBoardLogger histograms(boolean on) {
    this.histograms = on;
    return this;
  }

  /** The event file being (or last) written, null before the first fit. */
  public Path file() { return file; }

  @Override public void onFitStart(Trainer trainer) {
    try {
      Files.createDirectories(dir);
      file = dir.resolve("events.out.tfevents." + System.currentTimeMillis() / 1000 + "." + host() + "."
          + ManagementFactory.getRuntimeMXBean().getPid() + "." + files++);
      writer = new TfRecordWriter(file);
      writer.write(TensorBoardEvents.fileVersion(now()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the TensorBoard event file in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override public void onStepEnd(Trainer trainer, long step, double loss) {
    if (everySteps == 0 || step % everySteps != 0) return;
    write(TensorBoardEvents.scalar(now(), step, "batch/loss", (float) loss));
    write(TensorBoardEvents.scalar(now(), step, "batch/lr", (float) trainer.learningRate()));
  }

  @Override public void onEpochEnd(Trainer trainer, EpochRecord log) {
    History one = new History();
    one.add(log);
    for (String c : one.columns()) {
      double v = log.get(c);
      if (c.equals("epoch") || c.equals("seconds") || Double.isNaN(v)) continue;
      write(TensorBoardEvents.scalar(now(), log.epoch(), "epoch/" + c, (float) v));
    }
    if (histograms) {
      for (Parameter p : trainer.model().graph().parameters()) {
        if (!p.trainable() || p.initial() == null || p.initial().size() == 0) continue;
        write(TensorBoardEvents.histogram(now(), log.epoch(), "weights/" + p.name(), Histogram.of(p.initial().toDoubles(), 30)));
      }
    }
    try {
      writer.sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
    }
  }

  @Override public void onFitEnd(Trainer trainer) {
    try {
      if (writer != null) writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    } finally {
      writer = null;
    }
  }

  private void write(byte[] event) {
    if (writer == null) throw new KilnException("TensorBoardLogger is used outside a fit (no onFitStart)");
    try {
      writer.write(event);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static double now() { return System.currentTimeMillis() / 1000.0; }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }
}
