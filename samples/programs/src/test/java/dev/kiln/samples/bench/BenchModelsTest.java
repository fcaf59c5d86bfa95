package dev.kiln.samples.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.dsl.Model;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's models: each takes {@code image} shaped as its {@link BenchModels.BenchModel#exampleShape} says and gives
 * {@code logits} [batch, 10]; and, where torch is installed, {@code bench_torch.py}'s model of the same name
 * has exactly as many trainable parameters (the two sides train the same architecture).
 */
class BenchModelsTest {
  @Test
  void everyModelReadsItsExampleShapeAndGivesTenLogits() {
    for (BenchModels.BenchModel b : BenchModels.MODELS) {
      String name = b.name();
      Model m = b.build().apply(1);
      Value in = m.graph().input("image");
      long[] dims = new long[in.type().rank() - 1];
      for (int i = 0; i < dims.length; i++) dims[i] = in.type().shape().dim(i + 1).size();
      assertArrayEquals(b.exampleShape(), dims, name);
      Value out = m.graph().outputs().stream().filter(v -> v.name().equals("logits")).findFirst().orElseThrow();
      assertEquals(10, out.type().shape().dim(1).size(), name);
    }
  }

  @Test
  void pyTorchSideHasTheSameTrainableParameterCounts() throws Exception {
    Path script = Path.of("src/main/python/bench_torch.py");
    assumeTrue(TrainBenchmark.torchAvailable() && Files.exists(script), "needs /usr/bin/python3 with torch");
    for (BenchModels.BenchModel b : BenchModels.MODELS) {
      String name = b.name();
      Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", name, "--params")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(0, p.waitFor(), out);
      long kiln = 0;
      for (Parameter q : b.build().apply(1).graph().parameters()) if (q.trainable()) kiln += q.initial().size();
      assertEquals("PARAMS " + kiln, out.substring(out.lastIndexOf("PARAMS")), name);
    }
  }
}
