package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.harness.Close;
import dev.kiln.runtime.onnx.OnnxRuntimeBackend;
import dev.kiln.runtime.tf.TensorFlowBackend;
import dev.kiln.spec.HostTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ONNX Runtime back end (the train step exported as plain ONNX and run by stock ONNX Runtime) against the
 * TensorFlow back end: the same step graph, initial state and batches give the same losses and the same
 * variables after every step, for every optimizer, on an MLP and a conv net.
 */
class OrtTrainingParityTest {
  static Stream<Arguments> cases() {
    List<Object[]> opts = List.of(
        new Object[] {"sgd", Optimizers.sgd(0.01)},
        new Object[] {"momentum", Optimizers.momentum(0.9)},
        new Object[] {"nesterov", Optimizers.nesterov(0.9)},
        new Object[] {"rmsprop", Optimizers.rmsprop(0.99, 1e-8)},
        new Object[] {"adagrad", Optimizers.adagrad(1e-10)},
        new Object[] {"adam", Optimizers.adam(0.9, 0.999, 1e-8)},
        new Object[] {"adamw", Optimizers.adamw(0.9, 0.999, 1e-8, 0.01)});
    return Stream.of("mlp", "cnn").flatMap(kind -> opts.stream().map(o -> Arguments.of(o[0], o[1], kind)));
  }

  // NOTE: tolerance. Both back ends run the same IR, but TF runs fused optimizer kernels (ResourceApplyAdam...) and
  // its own matmul/conv kernels, ONNX Runtime MLAS's: f32 rounding differs per op and later steps carry it through
  // the gradients. Losses agree to 1e-5 relative and variables to 1e-5 relative + 1e-6 absolute over 5 steps.
  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("cases")
  void stepsAgreeWithTensorFlow(String name, Optimizer opt, String kind) {
    Model model = FusedOptimizerTest.model(kind);
    TrainStep s = FusedOptimizerTest.step(model, opt);
    double lr = name.startsWith("adam") || name.equals("rmsprop") ? 0.01 : 0.05;
    try (TrainSession tf = TensorFlowBackend.instance().open(s, model.evalGraph());
         TrainSession ort = new OnnxRuntimeBackend().open(s, model.evalGraph())) {
      assertEquals(tf.readVariables().keySet(), ort.readVariables().keySet());
      Map<String, HostTensor> initial = ort.readVariables();
      for (int k = 0; k < 5; k++) {
        Map<String, HostTensor> feed = FusedOptimizerTest.feed(model, k, lr);
        double a = tf.step(feed);
        double b = ort.step(feed);
        assertEquals(a, b, 1e-5 * Math.abs(a), name + " " + kind + " step " + (k + 1) + " loss");
      }
      Map<String, HostTensor> tv = tf.readVariables();
      Map<String, HostTensor> ov = ort.readVariables();
      for (String v : tv.keySet()) {
        assertNull(Close.compare(tv.get(v), ov.get(v), 1e-5, 1e-6), name + " " + kind + ": variable " + v);
        assertFalse(Arrays.equals(initial.get(v).toFloats(), ov.get(v).toFloats()), v + " was trained");
      }
      Map<String, HostTensor> feed = FusedOptimizerTest.feed(model, 9, lr);
      feed.remove(TrainStep.LR);
      feed.remove(TrainStep.STEP);
      feed.remove("labels");
      HostTensor pa = tf.evaluate(feed, List.of("output")).get("output");
      HostTensor pb = ort.evaluate(feed, List.of("output")).get("output");
      assertNull(Close.compare(pa, pb, 1e-4, 1e-5), "evaluation after training");
      assertTrue(pa.shape()[0] == 8);
    }
  }
}
