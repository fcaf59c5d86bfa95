package dev.kiln.runtime.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a process's start-up goes: with {@code -D}{@value #PROPERTY}{@code =true}, {@link #mark} prints
 * {@code kiln.startup +MS PHASE [thread]} to stderr, MS being wall-clock milliseconds since the process was
 * launched: {@code -D}{@value #LAUNCH_PROPERTY}{@code =EPOCH_MS} when the parent says when it launched it (the
 * benchmark does, so the phases add up to its "start to first step"), else the process's start time from the OS
 * (10 ms resolution). Off (the default) a mark costs one boolean test.
 */
public final class StartupTrace {
  /** Turns the trace on. */
  public static final String PROPERTY = "kiln.startup.trace";
  /** Wall-clock epoch milliseconds at which the parent launched this process (optional). */
  public static final String LAUNCH_PROPERTY = "kiln.launch.ms";

  private static final boolean ON = Boolean.getBoolean(PROPERTY);
  private static final long ORIGIN_MS = ON ? origin() : 0;
  private static final List<String> MARKS = new ArrayList<>();

  private StartupTrace() {}

  /** Whether marks are printed. */
  public static boolean enabled() { return ON; }

  /** Records that {@code phase} ended now (prints it when the trace is on). */
  public static void mark(String phase) {
    if (!ON) return;
    String line = String.format(Locale.ROOT, "kiln.startup +%d ms %s [%s%s]", System.currentTimeMillis() - ORIGIN_MS, phase,
        Thread.currentThread().getName(), cpu());
    synchronized (MARKS) {
      MARKS.add(line);
    }
    System.err.println(line);
  }

  /** The marks so far, in order (empty when the trace is off). */
  public static List<String> marks() {
    synchronized (MARKS) {
      return List.copyOf(MARKS);
    }
  }

  /**
   * This thread's time on a CPU and time spent runnable but waiting for one (Linux schedstat), and the whole
   * process's CPU time, so a figure taken on a loaded machine says how much of its wall time was the load.
   */
  private static String cpu() {
    try {
      String[] t = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split("\\s+");
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] p = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
      // NOTE: fields 14 and 15 of /proc/self/stat (utime, stime; 11 and 12 after the command name) are in clock
      // ticks, 100 per second on Linux.
      long processMs = (Long.parseLong(p[11]) + Long.parseLong(p[12])) * 10;
      return String.format(Locale.ROOT, "; thread cpu %d ms, waited for a cpu %d ms; process cpu %d ms",
          Long.parseLong(t[0]) / 1_000_000, Long.parseLong(t[1]) / 1_000_000, processMs);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static long origin() {
    String launched = System.getProperty(LAUNCH_PROPERTY);
    if (launched != null) {
      try {
        return Long.parseLong(launched.trim());
      } catch (NumberFormatException e) {
        System.err.println("kiln.startup: ignoring -D" + LAUNCH_PROPERTY + "=" + launched + " (not epoch milliseconds)");
      }
    }
    return ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
  }
}
