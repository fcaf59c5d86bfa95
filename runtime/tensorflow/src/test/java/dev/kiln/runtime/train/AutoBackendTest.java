package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.onnx.OnnxRuntimeBackend;
import dev.kiln.runtime.tf.TensorFlowBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --backend auto}: it times both back ends on the first batch, says in one line which it picked and the
 * figures, and then trains exactly as the picked back end does alone (the timing steps leave no trace in the state).
 */
class AutoBackendTest {
  static final Pattern LINE = Pattern.compile(
      "backend auto: (tensorflow|onnxruntime) \\(([0-9.]+) ms/step vs (tensorflow|onnxruntime) ([0-9.]+) ms; median of 5 warm steps on the first batch\\)");

  @Test void picksTheFasterBackEndAndTrainsAsItWouldAlone() {
    Dataset train = OrtTrainerParityTest.data(96, 1);
    GraphSchedule sched = Schedules.cosine(0.05, 12, 0.001);
    List<String> lines = new ArrayList<>();
    AutoBackend auto = new AutoBackend(List.of(TensorFlowBackend.instance(), new OnnxRuntimeBackend()), lines::add);
    assertEquals("auto", Backends.named("auto").name());
    List<Double> autoLoss = new ArrayList<>();
    List<Double> aloneLoss = new ArrayList<>();
    String picked;
    try (Trainer t = OrtTrainerParityTest.trainer(auto, Optimizers.adam(0.9, 0.999, 1e-8), sched, autoLoss)) {
      t.fit(train, null, 2, 16);
      assertEquals(1, lines.size(), "one line: " + lines);
      Matcher m = LINE.matcher(lines.get(0));
      assertTrue(m.matches(), lines.get(0));
      picked = m.group(1);
      assertTrue(!picked.equals(m.group(3)), "the other back end is the one compared");
      assertTrue(Double.parseDouble(m.group(2)) <= Double.parseDouble(m.group(4)), "picked the faster: " + lines.get(0));
    }
    Backend alone = picked.equals("tensorflow") ? TensorFlowBackend.instance() : new OnnxRuntimeBackend();
    try (Trainer t = OrtTrainerParityTest.trainer(alone, Optimizers.adam(0.9, 0.999, 1e-8), sched, aloneLoss)) {
      t.fit(train, null, 2, 16);
    }
    OrtTrainerParityTest.assertClose(aloneLoss, autoLoss, 1e-6, "auto (" + picked + ") vs " + picked + " alone");
  }

  @Test void withOneBackEndItSaysSo() {
    List<String> lines = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    try (Trainer t = OrtTrainerParityTest.trainer(new AutoBackend(List.of(new OnnxRuntimeBackend()), lines::add),
        Optimizers.sgd(), Schedules.constant(0.1), loss)) {
      t.fit(OrtTrainerParityTest.data(32, 2), null, 1, 16);
    }
    assertEquals(List.of("backend auto: onnxruntime (the only training back end on the class path)"), lines);
    assertEquals(2, loss.size());
  }
}
