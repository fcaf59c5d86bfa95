package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GatherND with batch_dims on a batch known only at run time (torch.onnx's F.grid_sample with a dynamic batch axis):
 * TensorFlow's GatherNd has no batch_dims, so the batch coordinates are built at run time (issue 18: this lowering
 * used to refuse "needs a static indices shape"). Checked against a by-hand gather and ONNX Runtime, at two batch sizes.
 */
class GatherNdDynamicBatchTest {
  static Graph graph() {
    GraphBuilder g = new GraphBuilder("gathernd_dyn");
    Dim batch = Dim.symbolic("batch");
    Value data = g.input("data", new TensorType(DType.F32, Shape.of(batch, Dim.of(3), Dim.of(2))));
    Value idx = g.input("idx", new TensorType(DType.I64, Shape.of(batch, Dim.of(4), Dim.of(1))));
    g.output("out", Ops.gatherND(g, data, idx, 1L));
    return g.build();
  }

  /** data[b, i, j] = 10 b + 2 i + j; indices cycle through 0, 2, -1, 1 (-1 is row 2) shifted by the batch. */
  static Map<String, HostTensor> feed(int n) {
    float[] data = new float[n * 6];
    for (int i = 0; i < data.length; i++) data[i] = 10 * (i / 6) + i % 6;
    long[] idx = new long[n * 4];
    long[] cycle = {0, 2, -1, 1};
    for (int i = 0; i < idx.length; i++) idx[i] = cycle[(i + i / 4) % 4];
    return Map.of("data", HostTensor.ofFloats(data, n, 3, 2), "idx", HostTensor.ofLongs(idx, n, 4, 1));
  }

  static float[] byHand(int n) {
    Map<String, HostTensor> f = feed(n);
    float[] data = f.get("data").toFloats();
    long[] idx = f.get("idx").toLongs();
    float[] out = new float[n * 4 * 2];
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < 4; p++) {
        long row = idx[b * 4 + p] < 0 ? idx[b * 4 + p] + 3 : idx[b * 4 + p];
        for (int j = 0; j < 2; j++) out[(b * 4 + p) * 2 + j] = data[(int) (b * 6 + row * 2 + j)];
      }
    }
    return out;
  }

  @Test void batchCoordinatesAreBuiltAtRunTimeOnTensorFlowAndAgreeWithOnnxRuntime() {
    try (TfModel tf = TfModel.load(graph());
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(graph()).toByteArray())) {
      for (int n : new int[] {3, 1}) {
        HostTensor got = tf.run(feed(n)).get("out");
        assertArrayEquals(new long[] {n, 4, 2}, got.shape());
        assertArrayEquals(byHand(n), got.toFloats(), "TensorFlow at batch " + n);
        assertArrayEquals(byHand(n), ort.run(feed(n)).get("out").toFloats(), "ONNX Runtime at batch " + n);
      }
    }
  }
}
