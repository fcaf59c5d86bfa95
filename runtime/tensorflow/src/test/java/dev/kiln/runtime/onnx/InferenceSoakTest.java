package dev.kiln.runtime.onnx;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * 16 threads share one model on each engine (issue 19): every result is bit-identical to the single-threaded
 * one for the same input, and resident memory stays flat (no native tensor or session state leaks per call).
 * The normal run makes {@code kiln.soak.calls} calls per engine (default 10^4); the figures in
 * docs/reliability.md come from {@code -Dkiln.soak.calls=100000}. Each call feeds 64 x 256 floats (64 KiB), so
 * a leak of one input per call would grow resident memory by 640 MiB over 10^4 calls.
 */
class InferenceSoakTest {
  private static final int THREADS = 16;
  private static final int INPUTS = 32;

  private static Model mlp() {
    return Model.build("soak_mlp", 11, m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 256);
      return m.linear("fc2", m.linear("fc1", x, 128).relu(), 10).softmax(-1);
    });
  }

  @Test void sixteenThreadsGetSingleThreadedResultsAndFlatMemoryOnBothEngines() throws Exception {
    long calls = Long.getLong("kiln.soak.calls", 10_000);
    Model model = mlp();
    List<HostTensor> inputs = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < INPUTS; i++) {
      float[] v = new float[64 * 256];
      for (int j = 0; j < v.length; j++) v[j] = (float) r.nextDouble(-1, 1);
      inputs.add(HostTensor.ofFloats(v, 64, 256));
    }
    try (TfModel tf = TfModel.load(model.graph())) {
      soak("tensorflow", x -> tf.run(Map.of("x", x)).get("output"), inputs, calls);
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(model.graph()).toByteArray())) {
      soak("onnxruntime", x -> ort.run(Map.of("x", x)).get("output"), inputs, calls);
    }
  }

  private static void soak(String engine, Function<HostTensor, HostTensor> run, List<HostTensor> inputs, long calls) throws Exception {
    List<byte[]> expected = new ArrayList<>();
    for (HostTensor x : inputs) expected.add(run.apply(x).bytes());
    AtomicLong next = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    long warm = calls / 10;
    long[] rss = new long[2];
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          for (long i; (i = next.getAndIncrement()) < calls; ) {
            if (i == warm) rss[0] = residentBytes();
            int k = (int) (i % inputs.size());
            if (!java.util.Arrays.equals(expected.get(k), run.apply(inputs.get(k)).bytes())) mismatches.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
    System.gc();
    rss[1] = residentBytes();
    double seconds = (System.nanoTime() - start) / 1e9;
    long growth = rss[1] - rss[0];
    System.out.printf(java.util.Locale.ROOT, "soak %s: %d calls on %d threads in %.1f s, %d mismatches, resident %d -> %d MiB (%+d MiB)%n",
        engine, calls, THREADS, seconds, mismatches.get(), rss[0] >> 20, rss[1] >> 20, growth >> 20);
    assertArrayEquals(new long[] {0}, new long[] {mismatches.get()}, engine + ": results differ from single-threaded ones");
    assertTrue(growth < 256L << 20, engine + ": resident memory grew by " + (growth >> 20) + " MiB over " + calls + " calls");
  }

  /** VmRSS from /proc/self/status (Linux), in bytes; 0 where unavailable. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return 0;
  }
}
