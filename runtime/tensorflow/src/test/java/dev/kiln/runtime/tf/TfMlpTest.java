package dev.kiln.runtime.tf;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A DSL-built MLP on TensorFlow and, after ONNX export, in ONNX Runtime: same outputs within 1e-5. */
class TfMlpTest {
  private static Model mlp() {
    return Model.build("mlp", m -> {
      var x = m.input("x", F32, Dim.symbolic("batch"), 20);
      var h = m.linear("fc1", x, 32).relu();
      h = m.linear("fc2", h, 16).relu();
      return m.linear("fc3", h, 4);
    });
  }

  @Test
  void mlpAgreesWithOnnxRuntime() {
    Model model = mlp();
    HostTensor x = TfOnnxAgreementTest.randomNormal(new TensorType(DType.F32, dev.kiln.spec.Shape.of(5, 20)), new Random(7));
    Map<String, HostTensor> ort;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.toBytes(model.graph()))) {
      ort = m.run(Map.of("x", x));
    }
    try (TfModel m = TfModel.load(model.graph())) {
      Map<String, HostTensor> tf = m.run(Map.of("x", x));
      assertEquals(ort.keySet(), tf.keySet());
      for (String k : ort.keySet()) {
        assertEquals(4, tf.get(k).shape()[1]);
        assertNull(TfOnnxAgreementTest.compare(ort.get(k), tf.get(k)), k);
      }
      // The variables were initialised once; a second run with another batch size gives the same rows.
      HostTensor x2 = HostTensor.ofFloats(java.util.Arrays.copyOf(x.toFloats(), 2 * 20), 2, 20);
      HostTensor y2 = m.run(Map.of("x", x2)).values().iterator().next();
      float[] y = tf.values().iterator().next().toFloats();
      float[] yy = y2.toFloats();
      for (int i = 0; i < yy.length; i++) assertEquals(y[i], yy[i], 1e-6f);
    }
  }

  @Test
  void wrongInputsAreRefusedWithWhatTheModelExpects() {
    try (TfModel m = TfModel.load(mlp().graph())) {
      KilnException wrongShape = assertThrows(KilnException.class,
          () -> m.run(Map.of("x", HostTensor.ofFloats(new float[10], 1, 10))));
      assertTrue(wrongShape.getMessage().contains("x: f32[batch, 20]"), wrongShape.getMessage());
      KilnException wrongName = assertThrows(KilnException.class,
          () -> m.run(Map.of("y", HostTensor.ofFloats(new float[20], 1, 20))));
      assertTrue(wrongName.getMessage().contains("no input 'y'"), wrongName.getMessage());
      KilnException wrongType = assertThrows(KilnException.class,
          () -> m.run(Map.of("x", HostTensor.ofDoubles(new double[20], 1, 20))));
      assertTrue(wrongType.getMessage().contains("must be f32, got f64"), wrongType.getMessage());
    }
  }
}
