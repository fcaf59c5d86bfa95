package dev.kiln.runtime.train;

import static dev.kiln.spec.DType.F32;

import dev.kiln.runtime.harness.OnnxTestData;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kiln's update rules, configured to ONNX's ai.onnx.preview.training formulas, against ONNX's own test
 * data for Adam, Adagrad and Momentum (attributes as read from each test's model.onnx with python3-onnx).
 * Inputs are R, T, then per tensor X..., G..., and the state(s); outputs X_new..., then each state's new values.
 */
class OnnxTrainingOpsTest {
  @Test void adam() { check("test_adam", 1, new Adam(0.95, 0.1, 1e-7, 0.001, 0, 0, true)); }

  /**
   * NOTE: this model has no epsilon attribute (so the node would use ONNX's default 1e-6), but ONNX's
   * generator (onnx/backend/test/case/node/adam.py, export_adam_multiple) computed the expected outputs
   * with epsilon = 1e-2 and did not pass it to the node; the data matches 1e-2.
   */
  @Test void adamMultiple() { check("test_adam_multiple", 2, new Adam(0.95, 0.85, 1e-2, 0.001, 0, 0, true)); }

  @Test void adagrad() { check("test_adagrad", 1, new Adagrad(1e-5, 0.1, 0.001, 0)); }

  @Test void adagradMultiple() { check("test_adagrad_multiple", 2, new Adagrad(1e-5, 0.1, 0.001, 0)); }

  /** alpha = momentum, beta = 1 - dampening. */
  @Test void momentum() { check("test_momentum", 1, new Sgd(0.95, 0.9, false, 0.001)); }

  @Test void momentumMultiple() { check("test_momentum_multiple", 2, new Sgd(0.95, 0.15, false, 0.001)); }

  @Test void nesterov() { check("test_nesterov_momentum", 1, new Sgd(0.95, 0, true, 0.01)); }

  private static void check(String name, int tensors, Optimizer opt) {
    OnnxTestData d = OnnxTestData.node(name);
    List<HostTensor> in = d.inputs();
    int states = (in.size() - 2) / tensors - 2;
    GraphBuilder b = new GraphBuilder(name);
    Value lr = b.input("R", new TensorType(F32, dev.kiln.spec.Shape.scalar()));
    Value step = b.input("step", new TensorType(F32, dev.kiln.spec.Shape.scalar()));
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    feed.put("R", in.get(0));
    // ONNX's T counts updates already done (0 here); Kiln's step is 1-based.
    feed.put("step", OrtGraph.scalar(in.get(1).getLong(0) + 1));
    List<Value> newParams = new ArrayList<>();
    List<List<Value>> newStates = new ArrayList<>();
    for (int i = 0; i < tensors; i++) {
      Value x = input(b, feed, "X" + i, in.get(2 + i));
      Value g = input(b, feed, "G" + i, in.get(2 + tensors + i));
      List<Value> s = new ArrayList<>();
      for (int k = 0; k < states; k++) s.add(input(b, feed, "S" + k + "_" + i, in.get(2 + (2 + k) * tensors + i)));
      Optimizer.Update u = opt.update(b, x, g, s, lr, step);
      newParams.add(u.parameter());
      newStates.add(u.slots());
    }
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < tensors; i++) outs.add(b.output("X_new" + i, newParams.get(i)).name());
    for (int k = 0; k < states; k++) {
      for (int i = 0; i < tensors; i++) outs.add(b.output("S_new" + k + "_" + i, newStates.get(i).get(k)).name());
    }
    Map<String, HostTensor> got = OrtGraph.run(b.build(), feed);
    for (int o = 0; o < outs.size(); o++) {
      OrtGraph.assertClose(d.outputs().get(o), got.get(outs.get(o)), 1e-5, 1e-6, name + " output " + o + " (" + outs.get(o) + ")");
    }
  }

  private static Value input(GraphBuilder b, Map<String, HostTensor> feed, String n, HostTensor v) {
    feed.put(n, v);
    return b.input(n, v.type());
  }
}
