package dev.kiln.samples.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz suite (issue 19): seeded mutations of ONNX models (byte-level and structural), {@code .pt} archives,
 * safetensors and {@code .npy} files; each input must be read or refused with a Kiln error, within
 * {@value #TIMEOUT_MS} ms and {@value #MAX_BYTES} allocated bytes, and no ONNX model may import data from
 * outside its folder. In the normal test run a fixed budget ({@code kiln.fuzz.inputs} per format, default
 * {@value #DEFAULT_INPUTS}); {@code ./scripts/fuzz --minutes N} runs longer with {@code kiln.fuzz.minutes}.
 * Findings are written to {@code target/fuzz-findings}; once fixed, each goes to
 * {@code src/test/resources/fuzz-regressions/FORMAT/}, replayed by {@link #regressionsStayFixed}.
 */
class FuzzTest {
  static final long TIMEOUT_MS = 20_000;
  static final long MAX_BYTES = 2L << 30;
  static final int DEFAULT_INPUTS = 750;

  @TempDir Path tmp;

  /** The repository root: the nearest folder up from here holding {@code interop/} (samples may be nested deeper). */
  static Path repo() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("interop/src")) && Files.isRegularFile(p.resolve("pom.xml"))) return p;
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  @Test void mutatedFilesEndAsAReadOrAKilnError() throws IOException {
    long seed = Long.getLong("kiln.fuzz.seed", 19);
    double minutes = Double.parseDouble(System.getProperty("kiln.fuzz.minutes", "0"));
    int perFormat = Integer.getInteger("kiln.fuzz.inputs", DEFAULT_INPUTS);
    long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
    FuzzFolder folder = new FuzzFolder(tmp);
    List<Format> formats = new ArrayList<>();
    List<List<byte[]>> seeds = new ArrayList<>();
    for (Format f : Format.values()) {
      List<byte[]> s = f.seeds(repo());
      if (!s.isEmpty()) {
        formats.add(f);
        seeds.add(s);
      }
    }
    Path findings = Path.of("target/fuzz-findings").toAbsolutePath();
    try (FuzzRunner runner = new FuzzRunner(TIMEOUT_MS, MAX_BYTES, findings)) {
      SplittableRandom r = new SplittableRandom(seed);
      for (long i = 0; minutes > 0 ? System.nanoTime() < deadline : i < (long) perFormat * formats.size(); i++) {
        int k = (int) (i % formats.size());
        Format f = formats.get(k);
        List<byte[]> s = seeds.get(k);
        byte[] input = s.get(r.nextInt(s.size()));
        // Stack mutations now and then, so inputs wander further from the seeds.
        int rounds = r.nextInt(8) == 0 ? 2 + r.nextInt(4) : 1;
        for (int j = 0; j < rounds; j++) input = f.mutate(input, r);
        Path file = f == Format.ONNX ? folder.model : tmp.resolve("input." + f.extension);
        runner.run(f, input, file);
      }
      StringBuilder report = new StringBuilder("fuzz seed " + seed + (minutes > 0 ? ", " + minutes + " min" : "") + "\n");
      long findingsCount = 0;
      for (Format f : formats) {
        FuzzRunner.Stats st = runner.stats.get(f);
        report.append(String.format(Locale.ROOT, "  %-12s %s%n", f.name().toLowerCase(Locale.ROOT), st));
        findingsCount += st.findings();
      }
      System.out.print(report);
      Files.createDirectories(findings.getParent());
      Files.writeString(findings.getParent().resolve("fuzz-summary.txt"), report);
      assertEquals(0, findingsCount, "fuzz findings (crashes, hangs, memory, reads outside) under " + findings + ":\n" + report);
    }
  }

  /**
   * Every input that ever made a finding, committed after its fix (and interop's hand-made hostile files of
   * issue 19): each must now be read or refused, within the same bounds.
   */
  @Test void regressionsStayFixed() throws IOException {
    FuzzFolder folder = new FuzzFolder(tmp);
    List<String> bad = new ArrayList<>();
    int replayed = 0;
    try (FuzzRunner runner = new FuzzRunner(TIMEOUT_MS, MAX_BYTES, tmp.resolve("findings"))) {
      for (Format f : Format.values()) {
        Path found = repo().resolve("samples/programs/src/test/resources/fuzz-regressions").resolve(f.name().toLowerCase(Locale.ROOT));
        Path handMade = repo().resolve("interop/src/test/resources/hostile").resolve(f.extension);
        for (Path sub : List.of(found, handMade)) {
          if (!Files.isDirectory(sub)) continue;
          List<Path> files;
          try (Stream<Path> s = Files.list(sub)) {
            files = s.filter(x -> x.toString().endsWith("." + f.extension)).sorted().toList();
          }
          for (Path p : files) {
            Path file = f == Format.ONNX ? folder.model : tmp.resolve("input." + f.extension);
            FuzzRunner.Kind k = runner.run(f, Files.readAllBytes(p), file);
            if (k != FuzzRunner.Kind.READ && k != FuzzRunner.Kind.REFUSED) bad.add(p.getFileName() + ": " + k);
            replayed++;
          }
        }
      }
    }
    assertTrue(bad.isEmpty(), "regressions: " + bad);
    assertTrue(replayed >= 16, "replayed only " + replayed + " regression files");
  }
}
