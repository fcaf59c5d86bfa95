package dev.kiln.runtime.onnx;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Conv;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Padding;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSL's small CNN exported to one ONNX file and run in ONNX Runtime at batch 1 and batch 7 (the batch stays
 * dynamic), checked against the other back end: the same IR graph run on TensorFlow-Java.
 */
class ExportedCnnTest {
  @TempDir Path dir;

  private static Model cnn() {
    return Model.build("small_cnn", m -> {
      Tensor<F32> x = m.input("image", F32, "batch", 1, 28, 28);
      Tensor<F32> h = x.conv2d("c1", Conv.out(8).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2)
          .conv2d("c2", Conv.out(16).kernel(3).padding(Padding.SAME)).relu().maxPool2d(2);
      return h.flatten().linear("fc", 10);
    });
  }

  @Test
  void runsAtBatch1And7FromOneFileAndAgreesWithTensorFlow() throws Exception {
    Model model = cnn();
    Path file = dir.resolve("cnn.onnx");
    OnnxExporter.write(model.graph(), file);
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(file); TfModel tf = TfModel.load(model.graph())) {
      assertEquals("[image: f32[batch, 1, 28, 28]]", ort.inputs().toString());
      assertEquals("[output: f32[batch, 10]]", ort.outputs().toString());
      for (int rows : new int[] {1, 7}) {
        HostTensor x = images(rows, rows);
        HostTensor fromOrt = ort.run(Map.of("image", x)).get("output");
        HostTensor fromTf = tf.run(Map.of("image", x)).get("output");
        assertEquals(rows, fromOrt.shape()[0]);
        assertNull(Close.compare(fromTf, fromOrt, 1e-5, 1e-5), "batch " + rows);
      }
    }
  }

  private static HostTensor images(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * 28 * 28];
    for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
    return HostTensor.ofFloats(v, rows, 1, 28, 28);
  }
}
