package dev.kiln.spec.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ops.Ops;
import org.junit.jupiter.api.Test;

/** The eval-mode rewrite on hand-built training-form graphs. */
class EvalModeTest {
  /** x (4, 3) → training-form batch norm (with a running-mean update) → training-form dropout. */
  private static Graph trainingForm(String runningMeanName) {
    GraphBuilder b = new GraphBuilder("t");
    Value x = b.input("x", new TensorType(DType.F32, Shape.of(4, 3)));
    HostTensor ones = HostTensor.ofFloats(new float[] {1, 1, 1}, 3);
    HostTensor zeros = HostTensor.ofFloats(new float[3], 3);
    Value w = b.parameter("bn.weight", ones, true, "ones");
    Value bias = b.parameter("bn.bias", zeros, true, "zeros");
    Value rm = b.parameter("bn.running_mean", zeros, false, "zeros");
    Value rv = b.parameter("bn.running_var", ones, false, "ones");
    Value mean = Ops.reduceMean(b, x, new long[] {0}, false);
    Value d = Ops.sub(b, x, mean);
    Value var = Ops.reduceMean(b, Ops.mul(b, d, d), new long[] {0}, false);
    Value y = Ops.batchNormalization(b, x, w, bias, mean, var, 1.0E-5, runningMeanName, rv.name());
    TrainingForm.recordUpdate(b, rm, Ops.add(b, rm, mean));
    Value z = Ops.dropout(b, y, TrainingForm.step(b), 0.5, 0L, false, true);
    b.output("y", z);
    return b.build();
  }

  @Test
  void batchNormReadsRunningStatisticsAndTrainingPartsGo() {
    Graph g = trainingForm("bn.running_mean");
    assertEquals(1, TrainingForm.updates(g).size());
    Graph e = EvalMode.run(g);
    assertEquals(java.util.List.of("x"), e.inputs().stream().map(Value::name).toList(), "train.step input dropped");
    assertEquals(java.util.List.of("y"), e.outputs().stream().map(Value::name).toList(), "state update dropped");
    Node bn = e.nodes().stream().filter(n -> n.opName().equals("BatchNormalization")).findFirst().orElseThrow();
    assertEquals("bn.running_mean", bn.input(3).name());
    assertEquals("bn.running_var", bn.input(4).name());
    assertEquals("", bn.attrs().getString("running_mean"));
    assertFalse(e.nodes().stream().anyMatch(n -> n.opName().equals("ReduceMean")), "batch statistics are dead code");
    Node drop = e.nodes().stream().filter(n -> n.opName().equals("Dropout")).findFirst().orElseThrow();
    assertFalse(drop.attrs().getBool("training"));
    assertEquals(1, drop.inputs().size());
    assertTrue(e.parameter("bn.running_mean").isPresent(), "state kept as parameters");
    assertSame(e, EvalMode.run(e), "an inference-form graph is left as is");
  }

  @Test
  void unknownRunningStatisticIsNamed() {
    KilnException ex = assertThrows(KilnException.class, () -> EvalMode.run(trainingForm("bn.nope")));
    assertTrue(ex.getMessage().contains("names running_mean 'bn.nope', which is not a parameter"), ex.getMessage());
  }
}
