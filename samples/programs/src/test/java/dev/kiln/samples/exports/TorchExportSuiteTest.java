package dev.kiln.samples.exports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 18's real-world suite: small PyTorch models exported by {@code torch.onnx} with a dynamic batch axis
 * ({@code fixtures/exports/make_exports.py} writes them and PyTorch's outputs), so their shapes are computed at run
 * time (Shape, Gather, Slice, Concat feeding Reshape, Resize, Expand, Pad, Range). Each imports with the batch still
 * symbolic, runs on TensorFlow-Java and, re-exported, in ONNX Runtime, at batch 2 (PyTorch's outputs) and batch 1
 * (the first row of each: the same graph at another batch size).
 */
class TorchExportSuiteTest {
  /** Every model the script writes (its {@code MODELS} list) but the {@link #KNOWN_GAPS}. */
  static final List<String> MODELS = List.of("resnet_tiny", "mobile_tiny", "dense_tiny", "vgg_tiny", "shuffle_tiny",
      "fcn_tiny", "unet_tiny", "interp_size", "detect_head", "vit_tiny", "vit_tiny_opset17", "mha_seq_first",
      "window_attention", "gpt_block", "encoder_post", "lstm_bi", "gru_seq", "audio_conv", "kws_cnn",
      // more_models.py
      "efficient_tiny", "convnext_tiny", "squeeze_tiny", "inception_tiny", "resnext_tiny", "aspp_tiny",
      "transformer_ed", "bert_tiny", "conformer_block", "tcn_tiny", "seq2seq_gru", "yolo_head", "espcn_sr", "style_net",
      "t5_attention", "roi_head", "darknet_tiny", "stn_tiny", "pos_resample_vit", "gpt_block_dynseq", "bert_tiny_dynseq",
      "lstm_packed");
  /**
   * Exports the script writes that Kiln cannot import yet, each with what its one-line error must name: node, op,
   * opset, reason (a ratchet: when one imports, this test fails and the model moves to {@link #MODELS}). Empty
   * since lstm_packed (a run-time sequence_lens) imports (docs/torch-exports.md).
   */
  static final Map<String, List<String>> KNOWN_GAPS = Map.of();
  static final double RTOL = 1e-4;
  /** NOTE: absolute floor; raised to 3x PyTorch's own float32 error (against its float64 run) where that is larger. */
  static final double ATOL_FLOOR = 1e-5;
  private static final String ROOT = "/fixtures/exports/";

  @TestFactory Stream<DynamicTest> exportsRunOnBothPathsAtBatchTwoAndOne() {
    return MODELS.stream().flatMap(m -> Stream.of(
        DynamicTest.dynamicTest(m + " on TensorFlow-Java", () -> check(m, "TensorFlow-Java", g -> feed -> {
          try (TfModel tf = TfModel.load(g)) {
            return tf.run(feed);
          }
        })),
        DynamicTest.dynamicTest(m + " re-exported, in ONNX Runtime", () -> check(m, "ONNX Runtime", g -> feed -> {
          try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
            return ort.run(feed);
          }
        }))));
  }

  @TestFactory Stream<DynamicTest> knownGapsFailWithTheirOneLineReason() {
    return KNOWN_GAPS.entrySet().stream().map(gap -> DynamicTest.dynamicTest(gap.getKey(), () -> {
      KilnException e = assertThrows(KilnException.class,
          () -> OnnxImporter.importFile(file(gap.getKey() + ".onnx"), ImportOptions.defaults()),
          gap.getKey() + " now imports: move it from KNOWN_GAPS to MODELS");
      String message = e.getMessage().strip();
      assertFalse(message.contains("\n"), gap.getKey() + ": not one line: " + message);
      for (String part : gap.getValue()) assertTrue(message.contains(part), gap.getKey() + ": no " + part + " in: " + message);
    }));
  }

  private interface Runner extends Function<Graph, Function<Map<String, HostTensor>, Map<String, HostTensor>>> {}

  private static void check(String model, String engine, Runner runner) {
    Graph g = OnnxImporter.importFile(file(model + ".onnx"), ImportOptions.defaults());
    for (Value in : g.inputs()) assertFalse(in.type().shape().dim(0).isStatic(), model + ": input batch dim is static");
    Map<String, HostTensor> io = io(model);
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    Map<String, HostTensor> feed1 = new LinkedHashMap<>();
    for (Value in : g.inputs()) {
      feed.put(in.name(), io.get(in.name()));
      feed1.put(in.name(), firstRow(io.get(in.name())));
    }
    Map<String, HostTensor> got = runner.apply(g).apply(feed);
    Map<String, HostTensor> got1 = runner.apply(g).apply(feed1);
    for (Value out : g.outputs()) {
      String name = out.name();
      HostTensor want = io.get(name);
      assertNotNull(want, model + ": no reference for output " + name);
      double atol = atol(want, io.get(name + "_f64"));
      compare(model + " on " + engine + ", output " + name, want, atol, got.get(name));
      compare(model + " on " + engine + " at batch 1, output " + name, firstRow(want), atol, got1.get(name));
    }
  }

  static Path file(String name) {
    URL url = TorchExportSuiteTest.class.getResource(ROOT + name);
    assertNotNull(url, "missing fixture " + ROOT + name + " (run make_exports.py)");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, HostTensor> io(String model) {
    try {
      return Safetensors.read(file(model + "_io.safetensors")).tensors();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first element along axis 0 (batch 1), any dtype. */
  static HostTensor firstRow(HostTensor t) {
    long[] shape = t.shape();
    int rowBytes = Math.toIntExact(t.size() / shape[0]) * t.dtype().byteSize();
    shape[0] = 1;
    byte[] all = t.bytes();
    byte[] row = new byte[rowBytes];
    System.arraycopy(all, 0, row, 0, rowBytes);
    return HostTensor.ofBytes(t.dtype(), shape, row);
  }

  static double atol(HostTensor f32, HostTensor f64) {
    double own = 0;
    if (f64 != null) for (int i = 0; i < f32.size(); i++) own = Math.max(own, Math.abs(f32.getDouble(i) - f64.getDouble(i)));
    return Math.max(ATOL_FLOOR, 3 * own);
  }

  /** Every element within {@code atol + RTOL * |want|}; the message names the worst one. */
  static void compare(String what, HostTensor want, double atol, HostTensor got) {
    assertNotNull(got, what + ": no output");
    assertArrayEquals(want.shape(), got.shape(), what + ": shape");
    int worst = -1;
    double worstRatio = 0;
    for (int i = 0; i < want.size(); i++) {
      double w = want.getDouble(i);
      double ratio = Math.abs(got.getDouble(i) - w) / (atol + RTOL * Math.abs(w));
      if (!(ratio <= worstRatio)) {
        worstRatio = ratio;
        worst = i;
      }
    }
    if (worst >= 0 && !(worstRatio <= 1)) {
      throw new AssertionError(what + ": element " + worst + " is " + got.getDouble(worst) + ", PyTorch "
          + want.getDouble(worst) + " (" + worstRatio + " times the tolerance, atol " + atol + ")");
    }
  }
}
