package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * A strided 1x1 conv (a ResNet shortcut) on the shape whose filter gradient oneDNN's jit_1x1 kernel gets
 * wrong (4 input channels, fewer than a vector block; N = 1, 6x6; docs/cpu-correctness.md): Kiln lowers
 * the conv and its filter gradient to unit-stride kernels over the subsampled input, and the gradients
 * agree with ONNX Runtime over repeated steps (the fault showed on most runs of a warm session). The
 * input gradient keeps its strided kernel: the sweep found it right.
 */
class Strided1x1ConvTest {
  @Test
  void gradientsAgreeWithOnnxRuntimeAndNoConvKernelIsStrided() throws Exception {
    Graph grads = gradients();
    Map<String, HostTensor> feed = Map.of("x", TestTensors.uniform(new long[] {1, 4, 6, 6}, 11));
    try (TfModel tf = TfModel.load(grads);
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      List<String> strided = new ArrayList<>();
      for (GraphOperation op : OrtAgreement.operations(tf)) {
        if ((op.type().equals("Conv2D") || op.type().equals("Conv2DBackpropFilter")) && !java.util.Arrays.equals(op.attributes().getAttrIntList("strides"), new long[] {1, 1, 1, 1})) {
          strided.add(op.name() + " " + op.type());
        }
      }
      assertEquals(List.of(), strided, "strided 1x1 conv or filter-gradient kernels emitted");
      OrtAgreement.overRuns(tf, ort, grads, feed, 10);
    }
  }

  /** sum(conv(x, w)^2) over a 1x1 stride-2 conv, 4 -> 8 channels, and its gradients for x and w. */
  private static Graph gradients() {
    GraphBuilder g = new GraphBuilder("shortcut");
    Value x = g.input("x", TensorType.of(DType.F32, 1, 4, 6, 6));
    Value w = g.parameter("w", TestTensors.uniform(new long[] {8, 4, 1, 1}, 5), true, "test");
    Value y = Ops.conv(g, x, w, null, new long[] {2, 2}, new long[0], new long[0], 1L);
    g.output("loss", Ops.reduceSum(g, Ops.mul(g, y, y), new long[0], false));
    Graph fwd = g.build();
    return Autodiff.gradients(fwd, fwd.outputs().get(0), List.of(fwd.parameters().get(0).value(), fwd.inputs().get(0)), true);
  }
}
