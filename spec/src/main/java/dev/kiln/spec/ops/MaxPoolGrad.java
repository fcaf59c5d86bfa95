package dev.kiln.spec.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Windows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of MaxPool: dx gets each window's output gradient gy at the cell holding the window's
 * maximum (the first one in row-major order on ties, as PyTorch does), summed where windows overlap.
 * ONNX: MaxPool-12 Indices + ScatterElements-16 (reduction add), so opset 16 or later; TF MaxPoolGrad.
 */
public final class MaxPoolGrad extends Op {
  @Override public String summary() { return "dx = gy routed to each window's (first) maximum of x (the gradient of MaxPool)"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "gy")
        .required("kernel", AttrKind.INTS, "the forward MaxPool's kernel")
        .attr("strides", AttrKind.INTS, new long[0], "the forward MaxPool's strides")
        .attr("pads", AttrKind.INTS, new long[0], "the forward MaxPool's pads")
        .attr("dilations", AttrKind.INTS, new long[0], "the forward MaxPool's dilations")
        .attr("ceil", AttrKind.BOOL, false, "the forward MaxPool's ceil mode");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TensorType gy = in.get(1);
    TypeRules.requireFloat("input x", x);
    TypeRules.sameDType(in);
    TensorType y = MaxPool.poolType(x, MaxPool.poolGeometry(x, attrs), attrs.getBool("ceil"));
    if (gy.rank() != y.rank()) throw new ShapeException("input gy must be MaxPool's output " + y + ", got " + gy);
    for (int i = 0; i < y.rank(); i++) {
      TypeRules.unify("input gy " + gy + " must be MaxPool's output " + y, y.shape().dim(i), gy.shape().dim(i));
    }
    return List.of(x);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ScatterElements", 16, MaxPoolGrad::emitOnnx)); }

  /** NOTE: ONNX MaxPool's Indices are flat row-major positions in the unpadded x, batch and channel included. */
  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    TensorType x = e.node().inputs().get(0).type();
    Map<String, Object> attrs = new LinkedHashMap<>(Windows.onnxAttrs(MaxPool.poolGeometry(x, a), true, true));
    attrs.put("ceil_mode", a.getBool("ceil") ? 1L : 0L);
    String y = e.fresh("y");
    String idx = e.fresh("indices");
    e.emit("MaxPool", List.of(e.input(0)), List.of(y, idx), attrs);
    String shape = e.fresh("x_shape");
    e.emit("Shape", List.of(e.input(0)), List.of(shape), Map.of());
    String count = e.fresh("x_count");
    e.emit("ReduceProd", List.of(shape), List.of(count), Map.of("keepdims", 1L));
    String zeros = e.fresh("zeros");
    e.emit("ConstantOfShape", List.of(count), List.of(zeros), Map.of("value", HostTensor.filled(x.dtype(), new long[] {1}, 0)));
    String flat = e.constant(HostTensor.ofLongs(new long[] {-1}, 1), "flat");
    String idxFlat = e.fresh("indices_flat");
    e.emit("Reshape", List.of(idx, flat), List.of(idxFlat), Map.of());
    String gyFlat = e.fresh("gy_flat");
    e.emit("Reshape", List.of(e.input(1), flat), List.of(gyFlat), Map.of());
    String summed = e.fresh("dx_flat");
    e.emit("ScatterElements", List.of(zeros, idxFlat, gyFlat), List.of(summed), Map.of("axis", 0L, "reduction", "add"));
    e.emit("Reshape", List.of(summed, shape), List.of(e.output(0)), Map.of());
  }

  @Override public TfLowering tf() { return TfLowering.custom("MaxPoolGrad"); }
}
