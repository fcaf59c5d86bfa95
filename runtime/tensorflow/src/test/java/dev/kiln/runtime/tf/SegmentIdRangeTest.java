package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad edge index is an error on both back ends, never a silently smaller sum (TF drops negative segment ids). */
class SegmentIdRangeTest {
  static Graph segmentSum() {
    GraphBuilder g = new GraphBuilder("segsum");
    Value data = g.input("data", new TensorType(DType.F32, Shape.of(4)));
    Value ids = g.input("ids", new TensorType(DType.I64, Shape.of(4)));
    Value like = g.input("like", new TensorType(DType.F32, Shape.of(3)));
    g.output("out", Ops.segmentSum(g, data, ids, like));
    return g.build();
  }

  static Map<String, HostTensor> feed(long... ids) {
    return Map.of("data", HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 4), "ids", HostTensor.ofLongs(ids, 4),
        "like", HostTensor.ofFloats(new float[3], 3));
  }

  @Test
  void idsInRangeIncludingNegativeOnesSumOnBothEngines() {
    // -1 is segment 2, -3 segment 0: sums [1 + 4, 2, 3], by hand.
    float[] want = {5, 2, 3};
    try (TfModel tf = TfModel.load(segmentSum())) {
      assertArrayEquals(want, tf.run(feed(0, 1, -1, -3)).get("out").toFloats());
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(segmentSum()).toByteArray())) {
      assertArrayEquals(want, ort.run(feed(0, 1, -1, -3)).get("out").toFloats());
    }
  }

  @Test
  void idsOutOfRangeAreRefusedByBothEngines() {
    try (TfModel tf = TfModel.load(segmentSum())) {
      assertThrows(RuntimeException.class, () -> tf.run(feed(0, 1, 2, -4)));  // below -n: TF alone would drop it
      assertThrows(RuntimeException.class, () -> tf.run(feed(0, 1, 2, 3)));
    }
    try (OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(segmentSum()).toByteArray())) {
      assertThrows(RuntimeException.class, () -> ort.run(feed(0, 1, 2, -4)));
      assertThrows(RuntimeException.class, () -> ort.run(feed(0, 1, 2, 3)));
    }
  }
}
