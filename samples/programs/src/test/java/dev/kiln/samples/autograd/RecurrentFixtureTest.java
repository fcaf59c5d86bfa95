package dev.kiln.samples.autograd;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.layers.Gru;
import dev.kiln.dsl.layers.Lstm;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.samples.fixtures.TorchFixtures;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The DSL's recurrent layers against PyTorch ({@code fixtures/rnn/make_fixtures.py}, torch 1.13): a 2-layer
 * batch-first LSTM and a bidirectional batch-first GRU, both from initial states, bound to PyTorch's weights by
 * name. Outputs and every parameter gradient of loss = sum(output * r) match on TensorFlow (unrolled); the
 * outputs match in ONNX Runtime (native LSTM/GRU nodes), and one exported LSTM file runs two sequence lengths.
 */
class RecurrentFixtureTest {

  @Test
  void lstmMatchesPyTorch() {
    check("lstm", seq -> m -> {
      Tensor<F32> x = m.input("x", F32, 2, seq, 4);
      return Lstm.of(3).layers(2).apply("lstm", x, m.input("h0", F32, 2, 2, 3), m.input("c0", F32, 2, 2, 3));
    });
  }

  @Test
  void gruMatchesPyTorch() {
    check("gru", seq -> m -> {
      Tensor<F32> x = m.input("x", F32, 2, seq, 4);
      return Gru.of(3).bidirectional().apply("gru", x, m.input("h0", F32, 2, 2, 3));
    });
  }

  /** One exported file with a symbolic sequence length runs 5 steps and 3 steps (a causal prefix) natively. */
  @Test
  void exportedLstmRunsAnySequenceLength() {
    Model model = Model.build("lstm_dyn", m -> {
      Tensor<F32> x = m.input("x", F32, 2, "seq", 4);
      return Lstm.of(3).layers(2).apply("lstm", x, m.input("h0", F32, 2, 2, 3), m.input("c0", F32, 2, 2, 3));
    });
    Graph g = withFixtureWeights(model.graph(), "lstm");
    var proto = OnnxExporter.export(g);
    List<String> ops = OnnxExporter.opTypes(proto);
    assertEquals(2, ops.stream().filter("LSTM"::equals).count(), "two native LSTM nodes, got " + ops);
    HostTensor x = fixture("lstm", "x"), expected = fixture("lstm", "output");
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(proto.toByteArray())) {
      compare("lstm output, 5 steps", expected, m.run(feed("lstm", x)).get("output"));
      HostTensor x3 = prefix(x, 3);
      HostTensor y3 = m.run(feed("lstm", x3)).get("output");
      assertArrayEquals(new long[] {2, 3, 3}, y3.shape());
      compare("lstm output, 3 steps", prefix(expected, 3), y3);
    }
  }

  private static void check(String name, Function<Object, Function<ModelBuilder, Tensor<F32>>> body) {
    HostTensor r = fixture(name, "r");
    Model model = Model.build(name, m -> {
      Tensor<F32> y = body.apply(5L).apply(m);
      m.output("y", y);
      Tensor<F32> rc = m.constant(r.reshape(r.size(), 1));
      return y.reshape(1, -1).matmul(rc).sum(false);
    });
    Graph g = withFixtureWeights(model.graph(), name);
    Value loss = g.outputs().stream().filter(v -> v.name().equals("output")).findFirst().orElseThrow();
    Graph grads = Autodiff.gradients(g, loss, g.parameters().stream().map(Parameter::value).toList(), true);
    Map<String, HostTensor> feed = feed(name, fixture(name, "x"));

    Map<String, HostTensor> tf;
    try (TfModel m = TfModel.load(grads)) {
      tf = m.run(feed);
    }
    compare(name + " output on TensorFlow", fixture(name, "output"), tf.get("y"));
    compare(name + " loss on TensorFlow", fixture(name, "loss"), tf.get("output"));
    for (Parameter p : g.parameters()) {
      compare(name + " d loss / d " + p.name() + " on TensorFlow", fixture(name, "grad_" + p.name()), tf.get("grad/" + p.name()));
    }
    var proto = OnnxExporter.export(g);
    assertTrue(OnnxExporter.opTypes(proto).contains(name.toUpperCase()), "native node in " + OnnxExporter.opTypes(proto));
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(proto.toByteArray())) {
      Map<String, HostTensor> ort = m.run(feed);
      compare(name + " output in ONNX Runtime", fixture(name, "output"), ort.get("y"));
      compare(name + " loss in ONNX Runtime", fixture(name, "loss"), ort.get("output"));
    }
  }

  private static Map<String, HostTensor> feed(String name, HostTensor x) {
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    feed.put("x", x);
    feed.put("h0", fixture(name, "h0"));
    if (name.equals("lstm")) feed.put("c0", fixture(name, "c0"));
    return feed;
  }

  /** The first {@code n} steps of a [batch, seq, features] tensor. */
  private static HostTensor prefix(HostTensor t, int n) {
    long[] s = t.shape();
    float[] out = new float[(int) (s[0] * n * s[2])];
    int k = 0;
    for (int b = 0; b < s[0]; b++) {
      for (int i = 0; i < n; i++) {
        for (int f = 0; f < s[2]; f++) out[k++] = (float) t.getDouble((int) ((b * s[1] + i) * s[2] + f));
      }
    }
    return HostTensor.ofFloats(out, s[0], n, s[2]);
  }

  private static final TorchFixtures FIXTURES = new TorchFixtures("rnn");

  private static Graph withFixtureWeights(Graph g, String name) { return FIXTURES.withWeights(g, name, ""); }

  private static void compare(String what, HostTensor expected, HostTensor got) { TorchFixtures.compare(what, expected, got); }

  private static HostTensor fixture(String model, String file) { return FIXTURES.load(model, file); }
}
