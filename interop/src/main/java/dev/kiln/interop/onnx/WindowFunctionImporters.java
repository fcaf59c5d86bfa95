package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * The signal windows of opset 17 (HannWindow, HammingWindow, BlackmanWindow), composed at import as ONNX defines
 * them: y[n] = a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N) for n = 0 .. size - 1, N = size (periodic) or size - 1
 * (symmetric). The length may be known only at run time: n is a Range up to the size input.
 */
final class WindowFunctionImporters {
  private WindowFunctionImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("HannWindow", (n, c) -> window(c, 0.5, 0.5, 0));
    m.put("HammingWindow", (n, c) -> window(c, 25.0 / 46, 21.0 / 46, 0));
    m.put("BlackmanWindow", (n, c) -> window(c, 0.42, 0.5, 0.08));
  }

  private static void window(ImportContext c, double a0, double a1, double a2) {
    c.onlyAttrs("output_datatype", "periodic");
    if (!c.hasInput(0)) throw c.fail("input 0 (size) is required");
    Object size = c.in(0);
    var st = ImportContext.typeOf(size);
    if (st.rank() != 0 || (st.dtype() != DType.I32 && st.dtype() != DType.I64)) {
      throw c.fail("input size must be an int32 or int64 scalar, got " + st);
    }
    DType out = DType.fromOnnx((int) c.attrInt("output_datatype", 1));
    if (!out.isFloating()) throw c.unsupported("output_datatype " + out + " is not supported (floating types only)");
    // NOTE: the arithmetic runs in f64 for f64 output, else in f32 (then cast): a window is a few cosines.
    DType calc = out == DType.F64 ? DType.F64 : DType.F32;
    boolean periodic = c.attrInt("periodic", 1) != 0;
    Object n = Ops.cast(c.step(), Ops.range(c.step(), HostTensor.scalar(st.dtype(), 0), size, HostTensor.scalar(st.dtype(), 1)), calc);
    Object len = Ops.cast(c.step(), size, calc);
    if (!periodic) len = Ops.sub(c.step(), len, HostTensor.scalar(calc, 1));
    Object phase = Ops.div(c.step(), Ops.mul(c.step(), n, HostTensor.scalar(calc, 2 * Math.PI)), len);
    Object y = Ops.sub(c.step(), HostTensor.scalar(calc, a0), Ops.mul(c.step(), HostTensor.scalar(calc, a1), Ops.cos(c.step(), phase)));
    if (a2 != 0) {
      Object second = Ops.cos(c.step(), Ops.mul(c.step(), phase, HostTensor.scalar(calc, 2)));
      y = Ops.add(c.step(), y, Ops.mul(c.step(), HostTensor.scalar(calc, a2), second));
    }
    c.define(out == calc ? Ops.identity(c, y) : Ops.cast(c, y, out));
  }
}
