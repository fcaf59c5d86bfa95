package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.Folder;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.List;

/**
 * y = [start, start + delta, start + 2 delta, ...) up to (not including) limit: max(ceil((limit - start) /
 * delta), 0) elements, a length known when the graph runs. start, limit and delta are scalars of one
 * dtype (f32, f64, i32, i64). ONNX Range-11; TF Range.
 */
public final class Range extends Op {
  private static final List<DType> TYPES = List.of(DType.F32, DType.F64, DType.I32, DType.I64);

  @Override public String summary() { return "y = start, start + delta, ... below limit (length known at run time)"; }

  @Override public Signature signature() { return Signature.inputs("start", "limit", "delta"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    String[] names = {"start", "limit", "delta"};
    DType dt = in.get(0).dtype();
    if (!TYPES.contains(dt)) throw new ShapeException("input start must be one of " + TYPES + ", got " + dt);
    for (int i = 0; i < 3; i++) {
      if (in.get(i).rank() != 0) throw new ShapeException("input " + names[i] + " must be a scalar, got " + in.get(i).shape());
      if (in.get(i).dtype() != dt) throw new ShapeException("input " + names[i] + " must be " + dt + " like start, got " + in.get(i).dtype());
    }
    return List.of(new TensorType(dt, dev.kiln.spec.Shape.of(Dim.unknown())));
  }

  @Override public OnnxLowering onnx() { return Onnx.op("Range", 11).lowering(); }

  /**
   * TF Range refuses a delta pointing away from the limit where ONNX gives an empty vector: the limit is
   * moved to start in that case ((limit - start) * delta < 0).
   */
  @Override public TfLowering tf() { return TfLowering.custom("Range"); }

  /**
   * The output's values do depend smoothly on start and delta, but its length jumps with them; Range makes
   * index vectors in practice, so no gradient is declared to flow through it.
   */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }

  /**
   * Computed on the host in the inputs' dtype (floats as start + i * delta, ONNX's formula).
   * NOTE: the length is ceil((limit - start) / delta) with the difference taken in the inputs' dtype first,
   * as ONNX Runtime does (an f32 difference rounds); integers are built as longs, never through doubles.
   */
  @Override public Folder folder() {
    return Folder.constants((in, attrs) -> {
      DType dt = in.get(0).dtype();
      double start = in.get(0).getDouble(0);
      double delta = in.get(2).getDouble(0);
      if (delta == 0) throw new dev.kiln.spec.ShapeException("delta must not be 0");
      double span = dt == DType.F32 ? (float) in.get(1).getDouble(0) - (float) start
          : dt.isFloating() ? in.get(1).getDouble(0) - start : (double) (in.get(1).getLong(0) - in.get(0).getLong(0));
      double count = Math.max(Math.ceil(span / delta), 0);
      if (count > dev.kiln.spec.op.Folding.MAX_ELEMENTS) return null;
      int n = (int) count;
      if (!dt.isFloating()) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = in.get(0).getLong(0) + (long) i * in.get(2).getLong(0);
        return List.of(dev.kiln.spec.op.HostArrays.ofLongs(dt, v, new long[] {n}));
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) v[i] = dt == DType.F32 ? (float) ((float) start + (float) i * (float) delta) : start + i * delta;
      return List.of(HostTensor.fromDoubles(dt, v, n));
    });
  }
}
