package dev.kiln.runtime.train;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer run for 5 steps in ONNX Runtime and in TensorFlow, feeding the gradients recorded in the fixtures
 * and its own outputs back as the next step's state, against torch.optim given the same gradients
 * (make_fixtures.py, lr 0.05).
 */
class TorchOptimizerFixturesTest {
  static Stream<Arguments> optimizers() {
    return Stream.of(
        Arguments.of("sgd", Optimizers.sgd()),
        Arguments.of("sgd_wd", Optimizers.sgd(0.1)),
        Arguments.of("momentum", Optimizers.momentum(0.9)),
        Arguments.of("momentum_damp_wd", Optimizers.momentum(0.9, 0.3, 0.05)),
        Arguments.of("nesterov", Optimizers.nesterov(0.9)),
        Arguments.of("nesterov_wd", Optimizers.nesterov(0.8, 0.05)),
        Arguments.of("rmsprop", Optimizers.rmsprop(0.9, 1e-8)),
        Arguments.of("rmsprop_full", Optimizers.rmsprop(0.95, 1e-6, 0.01, 0.5, true)),
        Arguments.of("adagrad", Optimizers.adagrad(1e-10)),
        Arguments.of("adagrad_decay", Optimizers.adagrad(1e-10, 0.1, 0.01)),
        Arguments.of("adam", Optimizers.adam(0.9, 0.999, 1e-8)),
        Arguments.of("adam_wd", Optimizers.adam(0.8, 0.99, 1e-6, 0.01)),
        Arguments.of("adamw", Optimizers.adamw(0.9, 0.999, 1e-8, 0.01)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void matchesTorch(String name, Optimizer opt) {
    HostTensor p0 = OrtGraph.fixture("optim_p0");
    float[] grads = OrtGraph.fixture("optim_grads").toFloats();
    float[] expected = OrtGraph.fixture("optim_" + name).toFloats();

    GraphBuilder scratch = new GraphBuilder("scratch");
    scratch.parameter("p", p0, true, "fixture");
    Parameter param = scratch.parameters().get(0);
    List<Optimizer.Slot> slots = opt.slots(param);

    GraphBuilder b = new GraphBuilder(name);
    TensorType vec = p0.type();
    Value p = b.input("p", vec);
    Value g = b.input("g", vec);
    Value lr = b.input("lr", new TensorType(F32, Shape.scalar()));
    Value step = b.input("step", new TensorType(F32, Shape.scalar()));
    List<Value> s = new ArrayList<>();
    for (Optimizer.Slot slot : slots) s.add(b.input("slot_" + slot.name(), slot.initial().type()));
    Optimizer.Update u = opt.update(b, p, g, s, lr, step);
    String pOut = b.output("p_new", u.parameter()).name();
    List<String> sOut = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) sOut.add(b.output("slot_new_" + slots.get(i).name(), u.slots().get(i)).name());

    for (String backend : OrtGraph.BACKENDS) {
      run(b, backend, opt, name, p0, grads, expected, slots, pOut, sOut);
    }
  }

  private static void run(GraphBuilder b, String backend, Optimizer opt, String name, HostTensor p0, float[] grads,
                          float[] expected, List<Optimizer.Slot> slots, String pOut, List<String> sOut) {
    int n = (int) p0.size();
    HostTensor current = p0;
    List<HostTensor> state = new ArrayList<>();
    for (Optimizer.Slot slot : slots) state.add(slot.initial());
    try (OrtGraph.Runner m = OrtGraph.runner(b.build(), backend)) {
      for (int k = 0; k < 5; k++) {
        Map<String, HostTensor> feed = new LinkedHashMap<>();
        feed.put("p", current);
        feed.put("g", HostTensor.ofFloats(Arrays.copyOfRange(grads, k * n, (k + 1) * n), n));
        feed.put("lr", OrtGraph.scalar(0.05));
        feed.put("step", OrtGraph.scalar(k + 1));
        for (int i = 0; i < slots.size(); i++) feed.put("slot_" + slots.get(i).name(), state.get(i));
        Map<String, HostTensor> out = m.run(feed);
        current = out.get(pOut);
        for (int i = 0; i < slots.size(); i++) state.set(i, out.get(sOut.get(i)));
        HostTensor want = HostTensor.ofFloats(Arrays.copyOfRange(expected, k * n, (k + 1) * n), n);
        OrtGraph.assertClose(want, current, 1e-5, 1e-6, name + " on " + backend + " after step " + (k + 1) + ": " + opt.describe());
      }
    }
  }
}
