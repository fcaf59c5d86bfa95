package dev.kiln.runtime.tf;

import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.tf.ConvKernelCase.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A systematic sweep of TensorFlow's convolution kernels against the host reference, in this process's
 * oneDNN configuration (one ISA per process: oneDNN fixes it when it first runs; {@code ConvSweepReport}
 * runs one child process per configuration). Covers forward, input-gradient and filter-gradient kernels;
 * 1-D (as a height of 1), 2-D and 3-D; channels-last and channels-first; VALID, SAME and EXPLICIT
 * padding; strides, dilations, 1x1 and 3x3 windows, channel counts below, at and above oneDNN's blocks
 * (8 for AVX2, 16 for AVX-512), groups and depthwise. Each case runs {@link #REPEATS} times with
 * different inputs: once alone and {@link #REPEATS} times in shuffled batches of one graph each, since
 * some faults depend on memory and threads.
 *
 * <p>Left out because TF aborts the process on them with oneDNN on (a CHECK failure, not an error):
 * depthwise kernels with EXPLICIT padding or unequal strides.
 *
 * <p>Prints one line per case: {@code CASE <label> <pass|FAIL|refused> <detail>}.
 */
public final class ConvSweep {
  private ConvSweep() {}

  static final int REPEATS = 3;

  private static final int[][] CHANNELS_2D = {{1, 1}, {3, 8}, {4, 8}, {8, 8}, {16, 16}, {17, 5}};

  public static void main(String[] args) {
    OneDnn.configure();
    System.setProperty("kiln.tf.selfCheck", "false");  // the sweep wants the kernels as they are
    System.out.println("CONFIG " + OneDnn.status());
    System.out.println("CPU " + Cpu.describe());
    List<ConvKernelCase> all = cases();
    Map<ConvKernelCase, ConvKernelRunner.Outcome> verdicts = new LinkedHashMap<>();
    Map<ConvKernelCase, Integer> failures = new HashMap<>();
    // Alone: refused calls are told apart from wrong answers.
    for (ConvKernelCase c : all) {
      ConvKernelRunner.Outcome o = ConvKernelRunner.runAlone(c, 1000, ConvKernelRunner.ResultFilter.NONE);
      verdicts.put(c, o);
      if (o.error() == null && !o.passed()) failures.merge(c, 1, Integer::sum);
    }
    // Together, as a real graph runs them (kernels side by side on TF's thread pools, oneDNN's primitive
    // cache warm): some faults only show so.
    List<ConvKernelCase> runnable = new ArrayList<>(all.stream().filter(c -> verdicts.get(c).error() == null).toList());
    for (int rep = 0; rep < REPEATS; rep++) {
      Collections.shuffle(runnable, new Random(rep));
      for (int from = 0; from < runnable.size(); from += BATCH) {
        List<ConvKernelCase> batch = runnable.subList(from, Math.min(runnable.size(), from + BATCH));
        for (ConvKernelRunner.Outcome o : ConvKernelRunner.runTogether(batch, 2000 + rep, ConvKernelRunner.ResultFilter.NONE, null, RUNS)) {
          if (!o.passed()) {
            failures.merge(o.kase(), 1, Integer::sum);
            verdicts.put(o.kase(), o);
          }
        }
      }
    }
    int failed = 0;
    for (ConvKernelCase c : all) {
      ConvKernelRunner.Outcome o = verdicts.get(c);
      int f = failures.getOrDefault(c, 0);
      String verdict = o.error() != null ? "refused" : f > 0 ? "FAIL" : "pass";
      if (f > 0) failed++;
      String detail = o.error() != null ? o.error() : f > 0 ? f + "/" + (REPEATS + 1) + " runs wrong; " + o.describe() : "";
      System.out.println("CASE " + c.label() + "\t" + verdict + "\t" + detail);
    }
    System.out.println("DONE " + all.size() + " cases, " + failed + " failed");
  }

  private static final int BATCH = 40;
  /** Session runs of each batch graph (a fault may need a warm primitive cache). */
  private static final int RUNS = 5;

  /** The grid. */
  static List<ConvKernelCase> cases() {
    List<ConvKernelCase> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      // 2-D, both layouts, every padding form.
      for (boolean last : new boolean[] {true, false}) {
        for (String padding : new String[] {"VALID", "SAME", "EXPLICIT"}) {
          for (int k : new int[] {1, 3}) {
            for (int s : new int[] {1, 2}) {
              for (int d : new int[] {1, 2}) {
                if (k == 1 && d == 2) continue;
                for (int[] co : CHANNELS_2D) {
                  // Two batch/size pairs: some faults show on one only (the 1x1 filter-gradient fault needs N = 1, 6x6).
                  out.add(ConvKernelCase.of(kind, false, last, padding, 2, co[0], co[1], 1, new int[] {7, 8}, new int[] {k, k},
                      new int[] {s, s}, new int[] {d, d}, new int[] {1, 0, 0, 2}));
                  out.add(ConvKernelCase.of(kind, false, last, padding, 1, co[0], co[1], 1, new int[] {6, 6}, new int[] {k, k},
                      new int[] {s, s}, new int[] {d, d}, new int[] {0, 1, 1, 0}));
                }
              }
            }
          }
        }
      }
      // 1-D as a height of 1 (how Kiln runs 1-D windows).
      for (String padding : new String[] {"VALID", "SAME"}) {
        for (int k : new int[] {1, 3}) {
          for (int s : new int[] {1, 2}) {
            for (int[] co : new int[][] {{1, 1}, {4, 8}, {16, 16}}) {
              out.add(ConvKernelCase.of(kind, false, true, padding, 2, co[0], co[1], 1, new int[] {1, 9}, new int[] {1, k},
                  new int[] {1, s}, new int[] {1, 1}, null));
            }
          }
        }
      }
      // Groups (Conv2D with a filter of C/group input channels).
      for (int[] cog : new int[][] {{4, 8, 2}, {16, 16, 4}}) {
        out.add(ConvKernelCase.of(kind, false, true, "SAME", 2, cog[0], cog[1], cog[2], new int[] {7, 8}, new int[] {3, 3},
            new int[] {1, 1}, new int[] {1, 1}, null));
      }
      // Depthwise: VALID/SAME, equal strides (others abort TF with oneDNN on).
      for (String padding : new String[] {"VALID", "SAME"}) {
        for (int s : new int[] {1, 2}) {
          for (int[] cm : new int[][] {{1, 1}, {3, 2}, {16, 1}}) {
            out.add(ConvKernelCase.of(kind, true, true, padding, 2, cm[0], cm[0] * cm[1], cm[0], new int[] {7, 8},
                new int[] {3, 3}, new int[] {s, s}, new int[] {1, 1}, null));
          }
        }
      }
      // 3-D, both layouts.
      for (boolean last : new boolean[] {true, false}) {
        for (String padding : new String[] {"VALID", "SAME"}) {
          for (int k : new int[] {1, 3}) {
            for (int s : new int[] {1, 2}) {
              for (int[] co : new int[][] {{1, 1}, {4, 8}, {16, 16}}) {
                out.add(ConvKernelCase.of(kind, false, last, padding, 1, co[0], co[1], 1, new int[] {4, 5, 6},
                    new int[] {k, k, k}, new int[] {s, s, s}, new int[] {1, 1, 1}, null));
              }
            }
          }
        }
      }
    }
    return out;
  }
}
