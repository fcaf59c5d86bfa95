package dev.kiln.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ops.Ops;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PyTorch-made fixture imports exactly, and the transfer-learning sample learns (a short run). */
class TransferDemoTest {
  private static final Path DIR = Path.of("src/test/resources/fixtures/transfer");
  private static final Path MODEL = DIR.resolve("small_cnn.onnx");

  private static Graph base() { return OnnxImporter.importFile(MODEL, ImportOptions.defaults()); }

  private static void assertClose(HostTensor want, HostTensor got, String what) {
    assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(got.shape()), what + " shape");
    float[] w = want.toFloats();
    float[] g = got.toFloats();
    for (int i = 0; i < w.length; i++) {
      assertTrue(Math.abs(w[i] - g[i]) <= 1e-5 + 1e-4 * Math.abs(w[i]), what + "[" + i + "]: want " + w[i] + ", got " + g[i]);
    }
  }

  @Test
  void importedCnnMatchesPyTorchOnBothBackEnds() {
    Graph g = base();
    Map<String, HostTensor> feed = Map.of("x", Npy.read(DIR.resolve("ref_input.npy")));
    try (TfModel tf = TfModel.load(g)) {
      Map<String, HostTensor> out = tf.run(feed);
      assertClose(Npy.read(DIR.resolve("ref_logits.npy")), out.get("logits"), "TF logits");
      assertClose(Npy.read(DIR.resolve("ref_features.npy")), out.get("features"), "TF features");
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
      assertClose(Npy.read(DIR.resolve("ref_logits.npy")), ort.run(feed).get("logits"), "ORT logits");
    }
  }

  @Test
  void cutKeepsOnlyTheBaseAndFreezesIt() {
    Model m = TransferDemo.withNewHead(base());
    Graph g = m.graph();
    assertEquals(1, g.outputs().size());
    assertEquals("output", g.outputs().get(0).name());
    assertEquals(10L, g.outputs().get(0).type().shape().dim(1).size());
    // The old 5-class classifier is gone; only the head's parameters train.
    for (Parameter p : g.parameters()) assertEquals(p.name().startsWith("head."), p.trainable(), p.name());
    assertTrue(g.nodes().stream().noneMatch(n -> n.outputs().stream().anyMatch(v -> v.name().equals("logits"))));
    assertTrue(Transfer.withoutGradient(Transfer.unfreeze(m).graph()).isEmpty());
    KilnException e = assertThrows(KilnException.class, () -> Transfer.from(base()).cutAt("nope").head("h", (mb, f) -> f));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("features"), e.getMessage());
  }

  @Test
  void argMaxOnThePathIsReportedAsWithoutGradient() {
    Model m = Transfer.from(base()).cutAt("logits").trainBase(true)
        .head("h", (mb, f) -> mb.tensor(Ops.argMax(mb.graph(), f.value(), 1L, false)));
    var missing = Transfer.withoutGradient(m.graph());
    assertEquals(1, missing.size(), missing.toString());
    assertTrue(missing.get(0).startsWith("ArgMax"), missing.toString());
  }

  @Test
  void shortFineTuneBeatsChanceAndTheRandomBaseline(@TempDir Path tmp) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TransferDemo.Result r = TransferDemo.run(MODEL, dev.kiln.runtime.data.FashionMnist.DEFAULT_DIR, tmp.resolve("t.onnx"),
        3000, 1000, 1, 1, new PrintStream(log, true, StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertTrue(r.headOnly() > 0.6, text);
    assertTrue(r.fineTuned() > 0.6, text);
    assertTrue(r.headOnly() > r.randomBaseline() + 0.03, text);
    assertEquals(r.fineTuned(), r.onnxRuntime(), 0.005, text);
    assertTrue(r.withoutGradient().isEmpty(), text);
  }
}
