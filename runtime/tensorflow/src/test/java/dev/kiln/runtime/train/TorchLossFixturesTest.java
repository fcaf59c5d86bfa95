package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each loss, every reduction, run in ONNX Runtime (exported to ONNX) and in TensorFlow, against PyTorch (make_fixtures.py). */
class TorchLossFixturesTest {
  private static final double[] WEIGHTS = {0.5, 2.0, 1.0, 0.25, 1.5};

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (Reduction r : List.of(Reduction.NONE, Reduction.SUM, Reduction.MEAN)) {
      String s = r.name().toLowerCase(Locale.ROOT);
      all.add(Arguments.of("mse_" + s, Losses.mse(r), "pred", "target"));
      all.add(Arguments.of("l1_" + s, Losses.l1(r), "pred", "target"));
      all.add(Arguments.of("huber_" + s, Losses.huber(0.7, r), "pred", "target"));
      all.add(Arguments.of("bce_" + s, Losses.bce(r), "probs", "bin_t"));
      all.add(Arguments.of("bcelogits_" + s, Losses.bceWithLogits(r), "logits_b", "bin_t"));
      for (String t : List.of("labels", "soft")) {
        for (boolean w : List.of(false, true)) {
          for (int sm : new int[] {0, 2}) {
            ClassificationLoss l = Losses.softmaxCrossEntropy(r).labelSmoothing(sm / 10.0);
            if (w) l = l.weights(WEIGHTS);
            all.add(Arguments.of("ce_" + t + (w ? "_w" : "") + "_s" + sm + "_" + s, l, "logits", t));
          }
        }
      }
      all.add(Arguments.of("nll_" + s, Losses.nll(r), "logp", "labels"));
      all.add(Arguments.of("nll_w_" + s, Losses.nll(r).weights(WEIGHTS), "logp", "labels"));
      all.add(Arguments.of("hinge_" + s, Losses.multiclassHinge(r), "logits", "labels"));
      all.add(Arguments.of("hinge_w_" + s, Losses.multiclassHinge(r, WEIGHTS), "logits", "labels"));
    }
    for (Reduction r : Reduction.values()) {
      all.add(Arguments.of("kl_" + r.name().toLowerCase(Locale.ROOT), Losses.klDiv(r), "logp", "soft_zero"));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTorch(String name, Loss loss, String predName, String targetName) {
    HostTensor pred = OrtGraph.fixture("loss_" + predName);
    HostTensor target = OrtGraph.fixture("loss_" + targetName);
    GraphBuilder b = new GraphBuilder("loss");
    Value p = b.input("prediction", pred.type());
    Value t = b.input("target", target.type());
    b.output("loss", loss.build(b, p, t));
    for (String backend : OrtGraph.BACKENDS) {
      HostTensor got = OrtGraph.run(b.build(), backend, Map.of("prediction", pred, "target", target)).get("loss");
      OrtGraph.assertClose(OrtGraph.fixture("loss_" + name), got, 1e-5, 1e-6, name + " on " + backend);
    }
  }
}
