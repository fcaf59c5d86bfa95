package dev.kiln.samples.fuzz;

import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one input at a time through a format's reader on a worker thread, within a time bound and a memory
 * bound (bytes the reader allocated, which bounds what it held), and classifies the end: read, refused with a
 * Kiln error (a {@link KilnException}, or an {@link IOException} the reader declares), or a finding: a crash
 * (any other exception or error), a hang (over the time bound), too much memory, or a read outside the model's
 * folder. Findings are saved under {@code findings} with their stack traces, to become regression files.
 */
final class FuzzRunner implements AutoCloseable {
  enum Kind { READ, REFUSED, CRASH, HANG, MEMORY, OUTSIDE }

  /** Counts, slowest input and most memory per format. */
  static final class Stats {
    final EnumMap<Kind, Long> counts = new EnumMap<>(Kind.class);
    long slowestMillis;
    long mostBytes;

    long total() { return counts.values().stream().mapToLong(Long::longValue).sum(); }

    long findings() {
      return counts.getOrDefault(Kind.CRASH, 0L) + counts.getOrDefault(Kind.HANG, 0L) + counts.getOrDefault(Kind.MEMORY, 0L)
          + counts.getOrDefault(Kind.OUTSIDE, 0L);
    }

    @Override public String toString() {
      return total() + " inputs " + counts + ", slowest " + slowestMillis + " ms, most allocated " + (mostBytes >> 20) + " MiB";
    }
  }

  private final long timeoutMillis;
  private final long maxBytes;
  private final Path findings;
  final Map<Format, Stats> stats = new EnumMap<>(Format.class);
  private ExecutorService worker = newWorker();
  private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  FuzzRunner(long timeoutMillis, long maxBytes, Path findings) {
    this.timeoutMillis = timeoutMillis;
    this.maxBytes = maxBytes;
    this.findings = findings;
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kiln-fuzz-worker");
      t.setDaemon(true); // a hung reader must not keep the JVM alive
      return t;
    });
  }

  /** Writes {@code input} to {@code file}, reads it, and records the outcome. */
  Kind run(Format format, byte[] input, Path file) throws IOException {
    Files.write(file, input);
    long start = System.nanoTime();
    Future<Object[]> f = worker.submit(() -> {
      long id = Thread.currentThread().getId();
      long before = threads.getThreadAllocatedBytes(id);
      Object[] out = new Object[2];
      try {
        out[0] = format.readOutside(file) ? Kind.OUTSIDE : Kind.READ;
      } catch (KilnException | IOException e) {
        out[0] = Kind.REFUSED;
      } catch (Throwable e) {
        out[0] = Kind.CRASH;
        out[1] = e;
      }
      long used = threads.getThreadAllocatedBytes(id) - before;
      return new Object[] {out[0], out[1], used};
    });
    Kind kind;
    Throwable error = null;
    long used = 0;
    try {
      Object[] r = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
      kind = (Kind) r[0];
      error = (Throwable) r[1];
      used = (Long) r[2];
      if (used > maxBytes && kind != Kind.CRASH) kind = Kind.MEMORY;
    } catch (TimeoutException e) {
      kind = Kind.HANG;
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      kind = Kind.CRASH;
      error = e;
    }
    Stats s = stats.computeIfAbsent(format, k -> new Stats());
    s.counts.merge(kind, 1L, Long::sum);
    s.slowestMillis = Math.max(s.slowestMillis, (System.nanoTime() - start) / 1_000_000);
    s.mostBytes = Math.max(s.mostBytes, used);
    if (kind != Kind.READ && kind != Kind.REFUSED) save(format, kind, input, error, used);
    return kind;
  }

  private void save(Format format, Kind kind, byte[] input, Throwable error, long used) throws IOException {
    Path dir = Files.createDirectories(findings.resolve(format.name().toLowerCase(java.util.Locale.ROOT)));
    String name = kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + sha1(input);
    Files.write(dir.resolve(name + "." + format.extension), input);
    StringWriter w = new StringWriter();
    w.append(kind + ", " + used + " bytes allocated\n");
    if (error != null) error.printStackTrace(new PrintWriter(w));
    Files.writeString(dir.resolve(name + ".txt"), w.toString());
  }

  static String sha1(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override public void close() { worker.shutdownNow(); }
}
