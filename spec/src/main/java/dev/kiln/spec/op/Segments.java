package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the segment reductions ({@code SegmentSum}, {@code SegmentMean}, {@code SegmentMax}) share: rows of
 * {@code data} [E, ...] are combined by {@code segment_ids} [E] into n rows, n being the size of axis 0 of
 * {@code like} (whose values are not read, so n may be symbolic: a graph's node count). An id in [-n, -1]
 * counts from the end, as Gather's indices do; an empty segment gives zeros. Message passing in a graph
 * network is Gather by source node then a segment reduction by destination node.
 */
public final class Segments {
  private Segments() {}

  /** The signature of every segment reduction. */
  public static Signature signature() {
    return Signature.inputs("data", "segment_ids", "like");
  }

  /** Output [like.dim(0)] + data.shape[1:], after checking ids [E] against data [E, ...]. */
  public static List<TensorType> inferTypes(List<TensorType> in, boolean floatingOnly) {
    TensorType data = in.get(0);
    TensorType ids = in.get(1);
    TensorType like = in.get(2);
    if (floatingOnly) TypeRules.requireFloat("input data", data);
    else TypeRules.requireNumeric("input data", data);
    TypeRules.requireRankAtLeast("input data", data, 1);
    if (ids.dtype() != DType.I32 && ids.dtype() != DType.I64) throw new ShapeException("input segment_ids must be i32 or i64, got " + ids);
    if (ids.rank() != 1) throw new ShapeException("input segment_ids must have rank 1 (one id per row of data), got " + ids);
    TypeRules.unify("input segment_ids must have one id per row of data " + data.shape() + ", axis 0", ids.shape().dim(0), data.shape().dim(0));
    TypeRules.requireRankAtLeast("input like (its axis 0 is the segment count)", like, 1);
    List<Dim> out = new ArrayList<>();
    out.add(like.shape().dim(0));
    out.addAll(data.shape().dims().subList(1, data.rank()));
    return List.of(new TensorType(data.dtype(), Shape.of(out)));
  }

  /** The reductions' ONNX spelling: sum, mean or max. */
  public enum Kind { SUM, MEAN, MAX }

  /**
   * ONNX (opset >= 16): ScatterND with reduction add into zeros of shape [n] + data.shape[1:]; mean divides by
   * the per-segment counts (at least 1); max scatters with reduction max into -inf (opset 18), or below 18,
   * where ScatterND has no max, reduces a dense [n, E, ...] selection (NOTE: memory n * E * row size), and
   * sets empty segments to 0 either way.
   */
  public static void emitOnnx(OnnxEmitter e, Kind kind) {
    Node node = e.node();
    TensorType data = node.input(0).type();
    int r = data.rank();
    DType dt = data.dtype();
    String ids = e.input(1);
    if (node.input(1).type().dtype() != DType.I64) {
      ids = e.fresh("ids64");
      e.emit("Cast", List.of(e.input(1)), List.of(ids), Map.of("to", (long) 7));
    }
    String n = e.fresh("segments");
    e.emit("Shape", List.of(e.input(2)), List.of(n), Map.of("start", 0L, "end", 1L));
    String neg = e.fresh("negative");
    e.emit("Less", List.of(ids, e.constant(HostTensor.ofLongs(new long[] {0}, 1), "zero")), List.of(neg), Map.of());
    String up = e.fresh("ids_up");
    e.emit("Add", List.of(ids, n), List.of(up), Map.of());
    String moved = e.fresh("ids_moved");
    e.emit("Where", List.of(neg, up, ids), List.of(moved), Map.of());
    // An id below -n is still negative after the move; ScatterND would read it from the back and add the row to a
    // wrong segment. Sent to n instead, it is out of range, which ONNX Runtime refuses (as TF's kernel does).
    String stillNeg = e.fresh("ids_still_negative");
    e.emit("Less", List.of(moved, e.constant(HostTensor.ofLongs(new long[] {0}, 1), "zero")), List.of(stillNeg), Map.of());
    String fixed = e.fresh("ids_fixed");
    e.emit("Where", List.of(stillNeg, n, moved), List.of(fixed), Map.of());
    String idx = e.fresh("ids_col");
    e.emit("Unsqueeze", List.of(fixed, e.constant(HostTensor.ofLongs(new long[] {1}, 1), "axis1")), List.of(idx), Map.of());
    String rest = e.fresh("row_shape");
    e.emit("Shape", List.of(e.input(0)), List.of(rest), Map.of("start", 1L));
    String outShape = e.fresh("out_shape");
    e.emit("Concat", List.of(n, rest), List.of(outShape), Map.of("axis", 0L));
    String zeros = e.fresh("zeros");
    e.emit("ConstantOfShape", List.of(outShape), List.of(zeros), Map.of("value", HostTensor.fromDoubles(dt, new double[] {0}, 1)));
    if (kind == Kind.SUM) {
      e.emit("ScatterND", List.of(zeros, idx, e.input(0)), List.of(e.output(0)), Map.of("reduction", "add"));
      return;
    }
    String counts = counts(e, ids, idx, n, r, dt);
    if (kind == Kind.MEAN) {
      String sum = e.fresh("sum");
      e.emit("ScatterND", List.of(zeros, idx, e.input(0)), List.of(sum), Map.of("reduction", "add"));
      String atLeast1 = e.fresh("counts_min1");
      e.emit("Max", List.of(counts, e.constant(HostTensor.fromDoubles(dt, new double[] {1}, 1), "one")), List.of(atLeast1), Map.of());
      e.emit("Div", List.of(sum, atLeast1), List.of(e.output(0)), Map.of());
      return;
    }
    String max = e.fresh("max");
    HostTensor minusInf = HostTensor.fromDoubles(dt, new double[] {Double.NEGATIVE_INFINITY}, 1);
    if (e.opset() >= 18) {
      String init = e.fresh("minus_inf");
      e.emit("ConstantOfShape", List.of(outShape), List.of(init), Map.of("value", minusInf));
      e.emit("ScatterND", List.of(init, idx, e.input(0)), List.of(max), Map.of("reduction", "max"));
    } else {
      denseMax(e, fixed, n, r, minusInf, max);
    }
    String nonEmpty = e.fresh("non_empty");
    e.emit("Greater", List.of(counts, e.constant(HostTensor.fromDoubles(dt, new double[] {0}, 1), "zero_f")), List.of(nonEmpty), Map.of());
    e.emit("Where", List.of(nonEmpty, max, zeros), List.of(e.output(0)), Map.of());
  }

  /** Rows per segment as data's dtype, shaped [n, 1, ...] (rank of data) to broadcast over the rows. */
  private static String counts(OnnxEmitter e, String ids, String idx, String n, int r, DType dt) {
    String idsShape = e.fresh("ids_shape");
    e.emit("Shape", List.of(ids), List.of(idsShape), Map.of());
    String ones = e.fresh("ones");
    e.emit("ConstantOfShape", List.of(idsShape), List.of(ones), Map.of("value", HostTensor.fromDoubles(dt, new double[] {1}, 1)));
    String zeros = e.fresh("count_zeros");
    e.emit("ConstantOfShape", List.of(n), List.of(zeros), Map.of("value", HostTensor.fromDoubles(dt, new double[] {0}, 1)));
    String counts = e.fresh("counts");
    e.emit("ScatterND", List.of(zeros, idx, ones), List.of(counts), Map.of("reduction", "add"));
    if (r == 1) return counts;
    long[] axes = new long[r - 1];
    for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
    String shaped = e.fresh("counts_rows");
    e.emit("Unsqueeze", List.of(counts, e.constant(HostTensor.ofLongs(axes, axes.length), "count_axes")), List.of(shaped), Map.of());
    return shaped;
  }

  /** max over e of where(ids[e] == s, data[e], -inf), for each segment s, as one [n, E, ...] tensor. */
  private static void denseMax(OnnxEmitter e, String ids, String n, int r, HostTensor minusInf, String out) {
    if (e.opset() < 13) throw new UnsupportedOpException("SegmentMax needs ONNX opset 13 or later, exporting " + e.opset());
    String count = e.fresh("segment_count");
    e.emit("Squeeze", List.of(n), List.of(count), Map.of());
    String range = e.fresh("segment_range");
    e.emit("Range", List.of(e.constant(HostTensor.ofLongs(new long[] {0}), "r0"), count, e.constant(HostTensor.ofLongs(new long[] {1}), "r1")),
        List.of(range), Map.of());
    long[] colAxes = new long[r];
    for (int i = 0; i < r; i++) colAxes[i] = i + 1;
    String col = e.fresh("segment_col");
    e.emit("Unsqueeze", List.of(range, e.constant(HostTensor.ofLongs(colAxes, r), "col_axes")), List.of(col), Map.of());
    long[] rowAxes = new long[r];
    rowAxes[0] = 0;
    for (int i = 1; i < r; i++) rowAxes[i] = i + 1;
    String row = e.fresh("ids_row");
    e.emit("Unsqueeze", List.of(ids, e.constant(HostTensor.ofLongs(rowAxes, r), "row_axes")), List.of(row), Map.of());
    String mask = e.fresh("segment_mask");
    e.emit("Equal", List.of(col, row), List.of(mask), Map.of());
    String data = e.fresh("data_row");
    e.emit("Unsqueeze", List.of(e.input(0), e.constant(HostTensor.ofLongs(new long[] {0}, 1), "axis0")), List.of(data), Map.of());
    String picked = e.fresh("picked");
    e.emit("Where", List.of(mask, data, e.constant(minusInf, "minus_inf")), List.of(picked), Map.of());
    e.emit("ReduceMax", List.of(picked), List.of(out), Map.of("axes", new long[] {1}, "keepdims", 0L));
  }
}
