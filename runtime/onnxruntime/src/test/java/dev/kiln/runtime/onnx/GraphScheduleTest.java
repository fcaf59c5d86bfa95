package dev.kiln.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.train.GraphSchedule;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each learning-rate schedule's IR form (what an exported training step computes from its step counter), run in ONNX
 * Runtime, equals its host form (what the trainer feeds) at every epoch and step tried, to f32 rounding.
 */
class GraphScheduleTest {
  static Stream<Arguments> schedules() {
    return Stream.of(
        Arguments.of("constant", Schedules.constant(0.01)),
        Arguments.of("timeDecay", Schedules.timeDecay(0.1, 0.5)),
        Arguments.of("stepDecay", Schedules.stepDecay(0.1, 2, 0.5)),
        Arguments.of("exponential", Schedules.exponential(0.1, 0.9)),
        Arguments.of("inverseSqrt", Schedules.inverseSqrt(0.1)),
        Arguments.of("cosine", Schedules.cosine(0.1, 50, 0.001)),
        Arguments.of("transformer", Schedules.transformer(64, 10)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void irFormEqualsHostForm(String name, GraphSchedule s) {
    GraphBuilder b = new GraphBuilder("schedule");
    TensorType scalar = new TensorType(DType.F32, Shape.scalar());
    Value epoch = b.input("epoch", scalar);
    Value step = b.input("step", scalar);
    b.output("rate", s.build(b, epoch, step));
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.toBytes(b.build()))) {
      for (int e = 0; e < 6; e++) {
        for (long st : new long[] {0, 1, 7, 49, 50, 80}) {
          double host = s.rate(e, st);
          double ir = m.run(Map.of("epoch", HostTensor.scalar(DType.F32, e), "step", HostTensor.scalar(DType.F32, st)))
              .get("rate").getDouble(0);
          assertEquals(host, ir, 2e-6 * Math.abs(host) + 1e-9, name + " at epoch " + e + ", step " + st);
        }
      }
    }
  }
}
