package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A callback streaming the {@link History} to a CSV file while training runs: a header, then one row per
 * epoch in {@link History#toCsv()}'s format (same columns, epochs from 1, empty cells for missing values),
 * each row written with one append and synced, so a crash loses at most the epoch being written and a
 * {@code tail -f} never shows half a row. The columns are fixed by the first epoch.
 *
 * <p>{@link #append} continues an existing file (e.g. after {@link Trainer#restore}): its header must name
 * the same columns, and a torn last line (a crash in mid-write) is cut off first. Otherwise the file is
 * started afresh at the first epoch.
 */
public final class CsvLogger implements TrainingCallback {
  private final Path file;
  private final boolean append;
  private List<String> columns;

  private CsvLogger(Path file, boolean append) {
    this.file = file;
    this.append = append;
  }

  /** A logger that starts {@code file} afresh (replacing it) at the first epoch of the first fit. */
  public static CsvLogger to(Path file) { return new CsvLogger(file, false); }

  /** A logger that appends to {@code file} when it exists (same columns), else starts it. */
  public static CsvLogger append(Path file) { return new CsvLogger(file, true); }

  /** The file written. */
  public Path file() { return file; }

  @Override public void onEpochEnd(Trainer trainer, EpochRecord log) {
    try {
      if (columns == null) start(log);
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) row.append(',');
        String c = columns.get(i);
        double v = log.get(c);
        if (c.equals("epoch")) row.append(log.epoch());
        else if (!Double.isNaN(v)) row.append(v);
      }
      appendLine(row.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training log " + file + ": " + e.getMessage(), e);
    }
  }

  private void start(EpochRecord first) throws IOException {
    History one = new History();
    one.add(first);
    columns = one.columns();
    String header = String.join(",", columns);
    if (append && Files.exists(file) && Files.size(file) > 0) {
      cutTornLine();
      String existing = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("");
      if (!existing.equals(header)) {
        throw new KilnException("cannot append to " + file + ": its header is '" + existing + "' but this run logs '"
            + header + "'");
      }
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.write(file, new byte[0]);
    appendLine(header);
  }

  /** Cuts the file back to its last newline: a row a crash left half written is dropped, not continued. */
  private void cutTornLine() throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') break;
        keep--;
      }
      if (keep < size) ch.truncate(keep);
    }
  }

  private void appendLine(String line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (b.hasRemaining()) ch.write(b);
      ch.force(false);
    }
  }
}
