package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * A strided 1x1 conv's subsampling runs as a 1-cell strided average pool ({@code TfConv.subsample}, a speed lever of
 * the small ResNet's shortcut): it picks exactly the cells a strided slice picks, NaN and infinities included
 * (oneDNN's 1-cell max pool turned NaN into -FLT_MAX, so it is not used), on odd and even sizes.
 */
class PoolSubsampleTest {
  @Test
  void theSubsampleIsAMaxPoolThatKeepsEveryPickedValueExactly() {
    for (int size : new int[] {5, 6}) {
      GraphBuilder g = new GraphBuilder("subsample");
      Value x = g.input("x", TensorType.of(DType.F32, 1, 1, size, size));
      Value w = Ops.constant(g, HostTensor.ofFloats(new float[] {1}, 1, 1, 1, 1));
      g.output("y", Ops.conv(g, x, w, null, new long[] {2, 2}, new long[0], new long[0], 1L));
      float[] v = new float[size * size];
      for (int i = 0; i < v.length; i++) v[i] = i - 7.25f;
      v[0] = Float.NaN;
      v[2] = Float.POSITIVE_INFINITY;
      v[2 * size] = Float.NEGATIVE_INFINITY;
      v[2 * size + 2] = -Float.MAX_VALUE;
      try (TfModel tf = TfModel.load(g.build())) {
        List<String> kinds = new ArrayList<>();
        for (Iterator<GraphOperation> it = tf.lowered().graph().operations(); it.hasNext(); ) kinds.add(it.next().type());
        assertTrue(kinds.contains("AvgPool") && !kinds.contains("StridedSlice"), "subsample lowered as " + kinds);
        float[] y = tf.run(Map.of("x", HostTensor.ofFloats(v, 1, 1, size, size))).get("y").toFloats();
        int out = (size + 1) / 2;
        assertEquals(out * out, y.length);
        for (int r = 0; r < out; r++) {
          for (int c = 0; c < out; c++) {
            float want = v[2 * r * size + 2 * c];
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[r * out + c]), "size " + size + " cell " + r + "," + c + ": " + want + " vs " + y[r * out + c]);
          }
        }
      }
    }
  }
}
