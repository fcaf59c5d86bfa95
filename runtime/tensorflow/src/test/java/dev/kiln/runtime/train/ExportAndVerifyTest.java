package dev.kiln.runtime.train;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** exportAndVerify puts a file at the target only once it agrees, and leaves nothing behind otherwise. */
class ExportAndVerifyTest {
  @TempDir Path tmp;

  @Test
  void agreeingExportLandsAtTheTargetWithNoTemporaryFile() throws Exception {
    Dataset d = TrainerTest.regression(32, 3, 1);
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      t.fit(d, null, 1, 16);
      double diff = t.exportAndVerify(tmp.resolve("m.onnx"), d);
      assertTrue(diff <= 1e-5, "max abs diff " + diff);
      assertTrue(Files.size(tmp.resolve("m.onnx")) > 0);
      assertEquals(1, listing().length, String.join(", ", listing()));
    }
  }

  /**
   * A model that standardises its input: the export folds the standardisation into the first layer, while the ONNX
   * Runtime back end's own evaluation graph feeds the live weights and so must keep it (it once folded there too,
   * and `kiln demo --backend onnxruntime` failed its verification by 13.8 on a logit).
   */
  @Test
  void standardisedInputsExportAndVerifyOnBothBackEnds() throws Exception {
    Dataset d = TrainerTest.regression(32, 3, 1);
    Model m = Model.build("std_mlp", 5, b -> {
      var x = b.input("x", F32, Dim.symbolic("batch"), 4);
      return b.linear("fc2", b.linear("fc1", x.sub(0.3).div(0.5), 16).relu(), 1);
    });
    for (String backend : List.of("tensorflow", "onnxruntime")) {
      try (Trainer t = TrainerTest.sgd(m, 0.002).backend(backend).build()) {
        t.fit(d, null, 2, 16);
        Path out = tmp.resolve(backend + ".onnx");
        double diff = t.exportAndVerify(out, d);
        assertTrue(diff <= 1e-5, backend + ": max abs diff " + diff);
        var nodes = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out)).getGraph().getNodeList();
        assertTrue(nodes.stream().noneMatch(n -> n.getOpType().equals("Sub") || n.getOpType().equals("Div")),
            backend + ": the standardisation is folded into fc1 in the exported file");
      }
    }
  }

  @Test
  void failedVerificationKeepsTheEarlierFileAndLeavesNoTemporaryFile() throws Exception {
    Path target = tmp.resolve("m.onnx");
    byte[] earlier = "an earlier export".getBytes();
    Files.write(target, earlier);
    // Five features where the model takes four: the exported file is written, then running it fails.
    Dataset wrong = new Dataset(HostTensor.ofFloats(new float[10], 2, 5), HostTensor.ofFloats(new float[2], 2, 1));
    try (Trainer t = TrainerTest.sgd(TrainerTest.mlp(), 0.002).build()) {
      assertThrows(RuntimeException.class, () -> t.exportAndVerify(target, wrong));
    }
    assertArrayEquals(earlier, Files.readAllBytes(target));
    assertEquals(1, listing().length, String.join(", ", listing()));
  }

  private String[] listing() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).toArray(String[]::new);
    }
  }
}
