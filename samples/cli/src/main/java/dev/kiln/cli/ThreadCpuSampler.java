package dev.kiln.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints, once a second, which threads of this JVM used the CPU in that second ({@code /proc/self/task/}*{@code /stat},
 * Linux only), busiest first: on a machine with as many cores as Spark workers, any other busy thread (the JIT's
 * compilers, the garbage collector, Spark's own) takes a core from a replica, and in synchronous training every
 * replica waits for that one. {@code SparkBench train-spark} with {@code -Dkiln.bench.threadCpu=true}.
 */
final class ThreadCpuSampler {
  private ThreadCpuSampler() {}

  /** Starts the daemon thread that prints the lines ({@code threads cpu% ...}). */
  static void start() {
    Thread t = new Thread(ThreadCpuSampler::run, "kiln-thread-cpu-sampler");
    t.setDaemon(true);
    t.start();
  }

  private static void run() {
    Map<String, Long> before = ticks();
    long tick = 100;  // USER_HZ: clock ticks per second in /proc's utime and stime
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
      Map<String, Long> now = ticks();
      List<Map.Entry<String, Long>> used = new ArrayList<>();
      long all = 0;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
        all += d;
        if (d * 100 / tick >= 2) used.add(Map.entry(e.getKey(), d));
      }
      used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
      StringBuilder line = new StringBuilder("threads cpu%");
      for (Map.Entry<String, Long> e : used) line.append(' ').append(e.getKey()).append('=').append(e.getValue() * 100 / tick);
      System.out.println(line.append(String.format(Locale.ROOT, " (all threads %d%%)", all * 100 / tick)));
      before = now;
    }
  }

  /** CPU clock ticks (user + system) by "tid:name", for every thread of this JVM. */
  private static Map<String, Long> ticks() {
    Map<String, Long> m = new HashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) return m;
    for (File t : tasks) {
      try {
        String stat = Files.readString(t.toPath().resolve("stat"));
        int close = stat.lastIndexOf(')');
        String name = stat.substring(stat.indexOf('(') + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        m.put(t.getName() + ":" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));  // utime, stime (fields 14, 15)
      } catch (IOException | RuntimeException e) {
        // The thread ended between listing and reading: it used nothing more.
      }
    }
    return m;
  }
}
