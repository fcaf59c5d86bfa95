package dev.kiln.samples.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.samples.conformance.ConformanceRunner.Result;
import dev.kiln.samples.conformance.Outcome.Kind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ONNX backend conformance suite: every case in ONNX's test data folders (node, pytorch-converted,
 * pytorch-operator, simple), imported and run on TensorFlow and, re-exported, in ONNX Runtime. Writes
 * {@code target/conformance.md}; with {@code -Dkiln.update.goldens=true} also {@code docs/conformance.md}
 * and the ratchet. Fails when either back end passes fewer cases than the committed ratchet
 * ({@code src/test/resources/conformance-ratchet.properties}), and when a node case that does not pass has an error
 * that is not one line naming node, op and opset ({@link ErrorIdentity}).
 */
class ConformanceTest {
  static final Path RATCHET = Path.of("src", "test", "resources", "conformance-ratchet.properties");
  static final Path REPORT = Path.of("../..", "docs", "conformance.md");

  @Test
  void backendTestData() throws IOException {
    List<ConformanceCase> cases = ConformanceCase.all();
    Assumptions.assumeTrue(!cases.isEmpty(), "no ONNX test data under " + ConformanceCase.ROOT);
    String only = System.getProperty("kiln.conformance.only");
    if (only != null && !only.isBlank()) {
      // A developer's quick look at some cases (a regex over "folder/name"): prints each outcome, no report, no ratchet.
      for (ConformanceCase c : cases) {
        if (!java.util.regex.Pattern.compile(only).matcher(c.toString()).find()) continue;
        Result r = ConformanceRunner.run(c);
        System.out.println("[conformance] " + c + ": TF " + r.tf() + " | ORT " + r.ort());
      }
      return;
    }
    if (Files.exists(ConformanceRunner.MARKER)) {
      System.err.println("[conformance] a previous run aborted the JVM while running: " + Files.readString(ConformanceRunner.MARKER).strip());
    }
    List<Result> results = new ArrayList<>();
    for (ConformanceCase c : cases) results.add(ConformanceRunner.run(c));
    Files.deleteIfExists(ConformanceRunner.MARKER);
    String report = ConformanceReport.render(results);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "conformance.md"), report, StandardCharsets.UTF_8);
    long tfPass = ConformanceReport.count(results, true, Kind.PASS);
    long ortPass = ConformanceReport.count(results, false, Kind.PASS);
    System.out.println("[conformance] " + results.size() + " cases: TensorFlow " + tfPass + " pass, ONNX Runtime " + ortPass + " pass");
    List<String> unnamed = ErrorIdentity.problems(results);
    assertTrue(unnamed.isEmpty(), unnamed.size() + " node-case errors do not name node, op and opset in one line:\n  "
        + String.join("\n  ", unnamed));
    if ("true".equals(System.getProperty("kiln.update.goldens"))) {
      Files.writeString(REPORT, report, StandardCharsets.UTF_8);
      // Written by hand rather than Properties.store, which adds a timestamp and so a diff on every run.
      Files.writeString(RATCHET, "# Conformance ratchet: passing cases per back end may not drop below these.\n"
          + "# Written by ConformanceTest with -Dkiln.update.goldens=true.\n"
          + "tf.pass=" + tfPass + "\nort.pass=" + ortPass + "\n", StandardCharsets.UTF_8);
      return;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(RATCHET, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    long tfMin = Long.parseLong(p.getProperty("tf.pass"));
    long ortMin = Long.parseLong(p.getProperty("ort.pass"));
    assertTrue(tfPass >= tfMin, "TensorFlow passes " + tfPass + " conformance cases, the ratchet wants >= " + tfMin
        + "; see samples/programs/target/conformance.md");
    assertTrue(ortPass >= ortMin, "ONNX Runtime passes " + ortPass + " conformance cases, the ratchet wants >= " + ortMin
        + "; see samples/programs/target/conformance.md");
  }
}
