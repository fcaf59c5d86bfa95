package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

/**
 * A depthwise conv's input gradient (one channel in and one out per group: the calls oneDNN's jit:avx2 backward-data
 * kernel gets wrong on AVX-512 CPUs, docs/cpu-correctness.md) runs as one depthwise input-gradient kernel, never as
 * Conv2DBackpropInput, and the gradients agree with ONNX Runtime over repeated runs on any CPU.
 */
class OneChannelInputGradientTest {
  @Test
  void depthwiseInputGradientsRunOnTheDepthwiseKernelAndAgreeWithOnnxRuntime() {
    Graph grads = gradients();
    Map<String, HostTensor> feed = Map.of("x", TestTensors.uniform(new long[] {2, 6, 9, 9}, 11));
    try (TfModel tf = TfModel.load(grads);
         OnnxRuntimeModel ort = OnnxRuntimeModel.load(OnnxExporter.export(grads).toByteArray())) {
      List<String> types = OrtAgreement.operations(tf).stream().map(GraphOperation::type).toList();
      assertTrue(types.contains("DepthwiseConv2dNativeBackpropInput"), types.toString());
      assertEquals(0, types.stream().filter(t -> t.equals("Conv2DBackpropInput")).count(), "one-channel Conv2DBackpropInput emitted: " + types);
      OrtAgreement.overRuns(tf, ort, grads, feed, 5);
    }
  }

  /** sum(depthwise_conv(x, w)^2), 6 channels, 3x3 stride 2 padded, and its gradient for x. */
  private static Graph gradients() {
    GraphBuilder g = new GraphBuilder("depthwise");
    Value x = g.input("x", TensorType.of(DType.F32, 2, 6, 9, 9));
    Value w = g.parameter("w", TestTensors.uniform(new long[] {6, 1, 3, 3}, 5), true, "test");
    Value y = Ops.conv(g, x, w, null, new long[] {2, 2}, new long[] {1, 1, 1, 1}, new long[0], 6L);
    g.output("loss", Ops.reduceSum(g, Ops.mul(g, y, y), new long[0], false));
    Graph fwd = g.build();
    return Autodiff.gradients(fwd, fwd.outputs().get(0), List.of(fwd.inputs().get(0)), true);
  }
}
