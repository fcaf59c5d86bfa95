package dev.kiln.cli;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfLowerer;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;

/**
 * The part of {@code kiln inspect} that predicts {@code kiln run --engine tensorflow|roundtrip}: an imported graph
 * can still fail to lower to TensorFlow (an op form TF lacks) or to export, so inspect builds both, as run would,
 * without running them. Saying "import: yes" alone once hid such failures (issue 18: a one-input Concat).
 */
final class EngineSupport {
  private EngineSupport() {}

  static String of(Graph g) {
    return "kiln engine tensorflow: " + check(() -> TfLowerer.lower(g).graph().close()) + "\n"
        + "kiln engine roundtrip: " + check(() -> {
          try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.export(g).toByteArray())) {
            m.inputs();  // the session opened: ONNX Runtime accepted Kiln's export
          }
        }) + "\n";
  }

  private static String check(Runnable build) {
    try {
      build.run();
      return "yes";
    } catch (KilnException e) {
      return "no (" + e.getMessage().strip().replaceAll("\\s*\\n\\s*", "; ") + ")";
    }
  }
}
