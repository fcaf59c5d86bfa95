package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * y = slices of {@code data} addressed by the last axis of {@code indices} (m coordinates into data's axes
 * b .. b+m-1, b = batch_dims, negative counting from the end): y has shape indices.shape[:-1] +
 * data.shape[b+m:], the first b axes of both being shared batch axes. ONNX GatherND-13 (-12 added batch_dims);
 * TF GatherNd, with batch coordinates prepended for batch_dims > 0 and negative indices moved up.
 */
public final class GatherND extends Op {
  @Override public String summary() { return "y = slices of data at coordinate tuples from the last axis of indices"; }

  @Override public Signature signature() {
    return Signature.inputs("data", "indices").attr("batch_dims", AttrKind.INT, 0L, "leading axes shared by data and indices");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType data = in.get(0);
    TensorType idx = in.get(1);
    int b = checked(data, idx, a.getLong("batch_dims"));
    int m = (int) idx.shape().dim(idx.rank() - 1).size();
    List<Dim> out = new ArrayList<>(idx.shape().dims().subList(0, idx.rank() - 1));
    out.addAll(data.shape().dims().subList(b + m, data.rank()));
    return List.of(new TensorType(data.dtype(), Shape.of(out)));
  }

  /** Checks data and indices against each other (also for ScatterND); returns batch_dims. */
  static int checked(TensorType data, TensorType idx, long batchDims) {
    if (idx.dtype() != DType.I64 && idx.dtype() != DType.I32) throw new ShapeException("input indices must be i32 or i64, got " + idx);
    if (data.rank() < 1 || idx.rank() < 1) throw new ShapeException("inputs data and indices must have rank >= 1, got " + data + " and " + idx);
    Dim last = idx.shape().dim(idx.rank() - 1);
    if (!last.isStatic()) throw new ShapeException("the last axis of indices must be static, got " + idx);
    if (batchDims < 0 || batchDims >= Math.min(data.rank(), idx.rank())) {
      throw new ShapeException("attribute batch_dims " + batchDims + " must be in [0, min(rank data, rank indices) - 1]");
    }
    int b = (int) batchDims;
    if (last.size() > data.rank() - b) throw new ShapeException("indices address " + last.size() + " axes but data " + data + " has " + (data.rank() - b) + " past the batch axes");
    for (int i = 0; i < b; i++) {
      Dim d = data.shape().dim(i);
      Dim q = idx.shape().dim(i);
      if (d.isStatic() && q.isStatic() && d.size() != q.size()) throw new ShapeException("batch axis " + i + " of data " + data + " and indices " + idx + " differ");
    }
    return b;
  }

  /** ONNX's GatherND takes int64 indices only: i32 ones are cast first. */
  @Override public OnnxLowering onnx() {
    return Onnx.forms(Onnx.custom("GatherND", 13, e -> e.emit("GatherND", List.of(e.input(0), int64(e, 1)), List.of(e.output(0)),
        Map.of("batch_dims", e.node().attrs().getLong("batch_dims")))));
  }

  /** Node input i as int64 (a Cast when it is i32). */
  static String int64(OnnxEmitter e, int i) {
    if (e.node().input(i).type().dtype() == DType.I64) return e.input(i);
    String c = e.fresh("indices_i64");
    e.emit("Cast", List.of(e.input(i)), List.of(c), Map.of("to", (long) DType.I64.onnxCode()));
    return c;
  }

  @Override public TfLowering tf() { return TfLowering.custom("GatherNd"); }

  /**
   * ddata = ScatterND(zeros like data, indices, gy, add): each slice's gradient added back where it came from
   * (batch_dims 0 only: ONNX's ScatterND has no batch axes).
   */
  @Override public Vjp vjp() {
    return (bld, node, gys) -> {
      if (node.attrs().getLong("batch_dims") != 0) throw new ShapeException("GatherND: no gradient with batch_dims > 0");
      var zero = Ops.constant(bld, HostTensor.fromDoubles(node.input(0).type().dtype(), new double[] {0}));
      var zeros = Ops.broadcastLike(bld, zero, node.input(0));
      return Arrays.asList(Ops.scatterND(bld, zeros, node.input(1), gys.get(0), "add"), null);
    };
  }
}
