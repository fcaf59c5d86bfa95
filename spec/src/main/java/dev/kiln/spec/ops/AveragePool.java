package dev.kiln.spec.ops;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfConv;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Windows;
import java.util.List;
import java.util.Map;

/**
 * Mean over sliding windows of 1 to 3 spatial axes of x [N, C, *spatial]; padded cells count in the
 * divisor only with {@code countIncludePad}. ONNX AveragePool-11.
 */
public final class AveragePool extends Op {
  @Override public String summary() { return "y = mean over each window of the spatial axes (NCHW)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("kernel", AttrKind.INTS, "window size per spatial axis")
        .attr("strides", AttrKind.INTS, new long[0], "step per spatial axis; empty means all 1")
        .attr("pads", AttrKind.INTS, new long[0], "padding, all begins then all ends; empty means 0")
        .attr("ceil", AttrKind.BOOL, false, "round the output size up (ONNX ceil_mode)")
        .attr("countIncludePad", AttrKind.BOOL, false, "divide by the full window, padding included (ONNX count_include_pad)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TypeRules.requireFloat("input x", in.get(0));
    return List.of(MaxPool.poolType(in.get(0), MaxPool.poolGeometry(in.get(0), attrs), attrs.getBool("ceil")));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("AveragePool", 11, AveragePool::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    Map<String, Object> attrs = new java.util.LinkedHashMap<>(Windows.onnxAttrs(
        MaxPool.poolGeometry(e.node().inputs().get(0).type(), a), true, false));
    attrs.put("ceil_mode", a.getBool("ceil") ? 1L : 0L);
    attrs.put("count_include_pad", a.getBool("countIncludePad") ? 1L : 0L);
    Windows.emitSame(e, "AveragePool", attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("AvgPool", TfConv::avgPool); }
}
