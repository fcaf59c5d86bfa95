package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link StartupTrace} in a fresh JVM: off by default, and with the property on, marks timed from the launch. */
class StartupTraceTest {
  /** Child-process entry: two marks, 200 ms of CPU work apart. */
  public static void main(String[] args) throws Exception {
    StartupTrace.mark("first");
    // NOTE: 200 ms of this thread's CPU time (not wall time, which a loaded machine stretches).
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + 200_000_000L;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < end) x += System.nanoTime() % 7;
    StartupTrace.mark("second " + (x >= 0));
    System.out.println("MARKS " + StartupTrace.marks().size());
  }

  private static String child(String... props) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
        + File.separator + "java", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(props));
    cmd.add(StartupTraceTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test void offByDefault() throws Exception {
    String out = child();
    assertTrue(out.contains("MARKS 0") && !out.contains("kiln.startup"), out);
  }

  @Test void marksCountFromTheLaunchAndCarryCpuTimes() throws Exception {
    long launched = System.currentTimeMillis();
    String out = child("-Dkiln.startup.trace=true", "-Dkiln.launch.ms=" + launched);
    Pattern line = Pattern.compile("kiln\\.startup \\+(\\d+) ms (first|second true) \\[main; thread cpu (\\d+) ms, "
        + "waited for a cpu (\\d+) ms; process cpu (\\d+) ms\\]");
    Matcher m = line.matcher(out);
    assertTrue(m.find(), out);
    long first = Long.parseLong(m.group(1));
    long firstCpu = Long.parseLong(m.group(3));
    assertTrue(m.find(), out);
    long second = Long.parseLong(m.group(1));
    long secondCpu = Long.parseLong(m.group(3));
    // NOTE: the child spins for 200 ms of CPU between the marks, so its wall time and CPU time advance by that much.
    assertTrue(first >= 0 && second - first >= 190, out);
    assertTrue(secondCpu - firstCpu >= 190, out);
    assertTrue(out.contains("MARKS 2"), out);
  }
}
