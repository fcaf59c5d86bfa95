package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Per-epoch progress counting batches, with the running mean loss, a running metric and samples per
 * second. On a terminal: a bar (me.tongfei:progressbar) redrawn in place. Otherwise (logs, CI, a pipe:
 * {@code System.console() == null}, or {@code -Dkiln.progress=lines}): plain lines, one per update, at
 * most one every {@link #LINE_INTERVAL_NANOS} plus one when the epoch ends, never {@code \r}-joined
 * redraws. {@code -Dkiln.progress=bar} forces the bar. Writes to stderr by default; {@link #disabled()}
 * prints nothing. Not thread-safe: the training loop calls it from one thread.
 */
public final class ProgressReporter {
  private final String metricName;
  private final boolean enabled;
  private final PrintStream out;
  private final boolean terminal;
  private ProgressBar bar;
  private long samples;
  private double lossSum;
  private double metricSum;
  private long metricSamples;
  private long startNanos;
  /** Line mode's state: the epoch's label and step count, steps so far and when the last line was printed. */
  private String label;
  private int batches;
  private int steps;
  private long lastLineNanos;

  /** In line mode, the least time between two lines within an epoch (10 s). */
  public static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

  /** A reporter on stderr showing {@code metricName} (e.g. {@code accuracy}) next to the loss. */
  public ProgressReporter(String metricName) {
    this(metricName, true, System.err, terminalOutput());
  }

  /** Whether the default reporter draws a bar: {@code -Dkiln.progress=bar|lines} decides, else a console. */
  static boolean terminalOutput() {
    String mode = System.getProperty("kiln.progress", "");
    if (mode.equals("bar")) return true;
    if (mode.equals("lines")) return false;
    return System.console() != null;
  }

  /**
   * A reporter writing to {@code out}; {@code terminal} picks the bar redrawn in place, otherwise plain
   * lines (one per update). {@code enabled} false makes every call a no-op.
   */
  public ProgressReporter(String metricName, boolean enabled, PrintStream out, boolean terminal) {
    this.metricName = metricName;
    this.enabled = enabled;
    this.out = out;
    this.terminal = terminal;
  }

  /** A reporter that prints nothing. */
  public static ProgressReporter disabled() { return new ProgressReporter("", false, System.err, false); }

  /** Whether it prints. */
  public boolean enabled() { return enabled; }

  /** Begins epoch {@code epoch} (1-based) of {@code epochs}, expecting {@code batches} steps. */
  public void startEpoch(int epoch, int epochs, int batches) {
    if (bar != null || label != null) endEpoch();
    samples = 0;
    lossSum = 0;
    metricSum = 0;
    metricSamples = 0;
    startNanos = System.nanoTime();
    steps = 0;
    this.batches = batches;
    label = String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs);
    lastLineNanos = startNanos;
    if (!enabled || !terminal) return;
    ProgressBarBuilder b = new ProgressBarBuilder()
        .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
        .setInitialMax(batches)
        .setUpdateIntervalMillis(200)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setConsumer(new ConsoleProgressBarConsumer(out, 120));
    bar = b.build();
  }

  /**
   * One batch done: {@code batchSize} examples, its mean loss and its metric value (NaN when there is
   * none). The bar shows means weighted by batch size.
   */
  public void step(int batchSize, double loss, double metricValue) {
    if (batchSize < 0) throw new KilnException("batch size must be non-negative, got " + batchSize);
    samples += batchSize;
    lossSum += loss * batchSize;
    if (!Double.isNaN(metricValue)) {
      metricSum += metricValue * batchSize;
      metricSamples += batchSize;
    }
    steps++;
    if (enabled && !terminal && label != null && System.nanoTime() - lastLineNanos >= LINE_INTERVAL_NANOS) printLine();
    if (bar == null) return;
    bar.step();
    bar.setExtraMessage(message());
  }

  /** Ends the epoch: draws the final state and moves to a new line. */
  public void endEpoch() {
    if (enabled && !terminal && label != null) {
      printLine();
      label = null;
    }
    if (bar == null) return;
    bar.setExtraMessage(message());
    bar.close();
    bar = null;
  }

  private void printLine() {
    out.println(label + " " + steps + "/" + batches + " " + message());
    out.flush();
    lastLineNanos = System.nanoTime();
  }

  /** Mean loss over this epoch's steps so far (NaN before any). */
  public double meanLoss() { return samples == 0 ? Double.NaN : lossSum / samples; }

  /** Mean metric over this epoch's steps so far (NaN before any). */
  public double meanMetric() { return metricSamples == 0 ? Double.NaN : metricSum / metricSamples; }

  /** Examples per second since the epoch started. */
  public double samplesPerSecond() {
    double s = (System.nanoTime() - startNanos) / 1e9;
    return s > 0 ? samples / s : 0;
  }

  String message() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", meanLoss()));
    if (metricSamples > 0) sb.append(String.format(Locale.ROOT, " %s %.4f", metricName, meanMetric()));
    sb.append(String.format(Locale.ROOT, " %.0f samples/s", samplesPerSecond()));
    return sb.toString();
  }
}
