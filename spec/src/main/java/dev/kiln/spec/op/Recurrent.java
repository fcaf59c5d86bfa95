package dev.kiln.spec.op;

import dev.kiln.spec.Dim;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the recurrent composites ({@code Lstm}, {@code Gru}, {@code Rnn}) share, in ONNX's layout
 * (opset 14): inputs {@code x, w, r[, b[, initial_h[, initial_c]]]} with {@code w = [dirs, gates*hidden, in]},
 * {@code r = [dirs, gates*hidden, hidden]}, {@code b = [dirs, 2*gates*hidden]} (input then recurrent biases);
 * {@code layout} 0 is sequence-first ({@code x = [seq, batch, in]}, {@code y = [seq, dirs, batch, hidden]},
 * states {@code [dirs, batch, hidden]}), 1 batch-first ({@code [batch, seq, in]}, {@code [batch, seq, dirs, hidden]},
 * {@code [batch, dirs, hidden]}), as ONNX opset 14 defines it. The ONNX input {@code sequence_lens} (ragged batches) and peepholes are not
 * supported. The decomposition unrolls the recurrence over a static sequence length with primitives.
 */
public final class Recurrent {
  private Recurrent() {}

  /** One time step of a cell in one direction. */
  @FunctionalInterface
  public interface Cell {
    /**
     * From {@code xw = x_t W^T + input bias} ({@code [batch, gates*hidden]}) and the previous states
     * ({@code null} at the first step when there is no initial state, meaning zeros), the new states
     * {@code {h, c}} ({@code c} null for cells without one).
     */
    Value[] step(GraphBuilder b, Value xw, Value hPrev, Value cPrev, Weights w);
  }

  /**
   * One direction's recurrent weights: {@code rT = R^T} ({@code [hidden, gates*hidden]}) and the recurrent
   * bias {@code rb} ({@code [gates*hidden]}, null when absent or folded into the input bias).
   */
  public record Weights(Value rT, Value rb, long hidden) {}

  /** The signature every recurrent op has; LSTM adds {@code initial_c} and a third output. */
  public static Signature signature(boolean hasCell, String extraAttr, Object extraDefault, String extraDoc) {
    Signature s = hasCell
        ? Signature.inputs("x", "w", "r", "b", "initial_h", "initial_c").optionalFrom(3).outputs(3)
        : Signature.inputs("x", "w", "r", "b", "initial_h").optionalFrom(3).outputs(2);
    s.attr("direction", AttrKind.STRING, "forward", "forward, reverse or bidirectional")
        .attr("layout", AttrKind.INT, 0L, "0: sequence-first [seq, batch, in]; 1: batch-first [batch, seq, in]");
    if (extraAttr != null) s.attr(extraAttr, AttrKind.INT, extraDefault, extraDoc);
    return s;
  }

  /** Number of directions named by the {@code direction} attribute. */
  public static int directions(Attrs a) {
    String d = a.getString("direction");
    return switch (d) {
      case "forward", "reverse" -> 1;
      case "bidirectional" -> 2;
      default -> throw new ShapeException("attribute direction must be forward, reverse or bidirectional, got '" + d + "'");
    };
  }

  /** The type rule: checks every input against {@code gates} and returns Y, Y_h (and Y_c when {@code outputs == 3}). */
  public static List<TensorType> inferTypes(List<TensorType> in, Attrs a, int gates, int outputs) {
    long layout = a.getLong("layout");
    if (layout != 0 && layout != 1) throw new ShapeException("attribute layout must be 0 or 1, got " + layout);
    int nd = directions(a);
    TensorType x = in.get(0), w = in.get(1), r = in.get(2);
    TypeRules.requireFloat("input x", x);
    var dtype = TypeRules.sameDType(in.stream().filter(t -> t != null).toList());
    TypeRules.requireRank("input x", x, 3);
    TypeRules.requireRank("input w", w, 3);
    TypeRules.requireRank("input r", r, 3);
    Dim hd = r.shape().dim(2);
    if (!hd.isStatic()) throw new ShapeException("input r " + r + " must have a static hidden size on axis 2");
    long h = hd.size();
    Dim seq = x.shape().dim(layout == 0 ? 0 : 1), batch = x.shape().dim(layout == 0 ? 1 : 0), inSize = x.shape().dim(2);
    expect("input w", w, Shape.of(Dim.of(nd), Dim.of(gates * h), inSize), "[dirs=" + nd + ", " + gates + "*hidden=" + gates * h + ", input=" + inSize + "]");
    expect("input r", r, Shape.of(Dim.of(nd), Dim.of(gates * h), Dim.of(h)), "[dirs=" + nd + ", " + gates + "*hidden, hidden] = [" + nd + ", " + gates * h + ", " + h + "]");
    if (in.size() > 3) expect("input b", in.get(3), Shape.of(Dim.of(nd), Dim.of(2 * gates * h)), "[dirs, 2*" + gates + "*hidden] = [" + nd + ", " + 2 * gates * h + "]");
    Shape state = layout == 0 ? Shape.of(Dim.of(nd), batch, Dim.of(h)) : Shape.of(batch, Dim.of(nd), Dim.of(h));
    for (int i = 4; i < in.size(); i++) {
      expect("input " + (i == 4 ? "initial_h" : "initial_c"), in.get(i), state, layout == 0 ? "[dirs, batch, hidden]" : "[batch, dirs, hidden]");
    }
    Shape y = layout == 0 ? Shape.of(seq, Dim.of(nd), batch, Dim.of(h)) : Shape.of(batch, seq, Dim.of(nd), Dim.of(h));
    List<TensorType> out = new ArrayList<>();
    out.add(new TensorType(dtype, y));
    for (int i = 1; i < outputs; i++) out.add(new TensorType(dtype, state));
    return out;
  }

  /** Checks rank and every dim both sides know. */
  private static void expect(String what, TensorType t, Shape want, String wantText) {
    if (t.rank() != want.rank()) throw new ShapeException(what + " must be " + wantText + ", got " + t);
    for (int d = 0; d < want.rank(); d++) {
      Dim have = t.shape().dim(d), w = want.dim(d);
      if (have.isStatic() && w.isStatic() && have.size() != w.size()) {
        throw new ShapeException(what + " must be " + wantText + ", got " + t + " (axis " + d + ": expected " + w.size() + ", found " + have.size() + ")");
      }
      if (have.isSymbolic() && w.isSymbolic() && !have.equals(w)) {
        throw new ShapeException(what + " must be " + wantText + ", got " + t + " (axis " + d + ": " + have + " vs " + w + ")");
      }
    }
  }

  /**
   * The native ONNX form ({@code onnxOp}-7 semantics, unchanged through 14 but for {@code layout}): inputs in
   * ONNX order with an empty {@code sequence_lens}, {@code hidden_size} from {@code r}'s shape. NOTE: ONNX
   * Runtime's CPU kernels reject {@code layout} = 1, so batch-first nodes are written sequence-first between
   * {@code Transpose}s (as PyTorch's exporter does), which every opset and runtime accepts.
   */
  public static OnnxForm onnxForm(String onnxOp, String extraAttr) {
    return Onnx.custom(onnxOp, 7, e -> {
      Node n = e.node();
      boolean batchFirst = n.attrs().getLong("layout") == 1;
      List<String> ins = new ArrayList<>();
      for (int i = 0; i < Math.min(4, n.inputs().size()); i++) ins.add(e.input(i));
      if (batchFirst) ins.set(0, transpose(e, ins.get(0), new long[] {1, 0, 2}, "x_seq_first"));
      if (n.inputs().size() > 4) {
        while (ins.size() < 4) ins.add("");
        ins.add("");  // sequence_lens
        for (int i = 4; i < n.inputs().size(); i++) {
          ins.add(batchFirst ? transpose(e, e.input(i), new long[] {1, 0, 2}, n.input(i).name() + "_seq_first") : e.input(i));
        }
      }
      List<String> outs = new ArrayList<>();
      for (int i = 0; i < n.outputs().size(); i++) outs.add(batchFirst ? e.fresh("out" + i + "_seq_first") : e.output(i));
      Map<String, Object> attrs = new LinkedHashMap<>();
      attrs.put("hidden_size", n.input(2).type().shape().dim(2).size());
      attrs.put("direction", n.attrs().getString("direction"));
      if (extraAttr != null) attrs.put(extraAttr, n.attrs().getLong(extraAttr));
      e.emit(onnxOp, ins, outs, attrs);
      if (batchFirst) {
        for (int i = 0; i < outs.size(); i++) {
          e.emit("Transpose", List.of(outs.get(i)), List.of(e.output(i)),
              Map.of("perm", i == 0 ? new long[] {2, 0, 1, 3} : new long[] {1, 0, 2}));
        }
      }
    });
  }

  private static String transpose(OnnxEmitter e, String in, long[] perm, String hint) {
    String out = e.fresh(hint);
    e.emit("Transpose", List.of(in), List.of(out), Map.of("perm", perm));
    return out;
  }

  /** The decomposition: unrolls {@code cell} over the (static) sequence, per direction. */
  public static Decomposition unrolled(int gates, boolean foldRecurrentBias, Cell cell) {
    return (b, node, in) -> unroll(b, node, in, gates, foldRecurrentBias, cell);
  }

  private static List<Value> unroll(GraphBuilder b, Node node, List<Value> in, int gates, boolean foldRb, Cell cell) {
    Attrs a = node.attrs();
    boolean batchFirst = a.getLong("layout") == 1;
    int nd = directions(a);
    boolean reverseOnly = a.getString("direction").equals("reverse");
    Value x = in.get(0);
    if (batchFirst) x = Ops.transpose(b, x, new long[] {1, 0, 2});
    Dim seqDim = x.type().shape().dim(0);
    if (!seqDim.isStatic()) {
      throw new ShapeException(node.opName() + ": unrolling needs a static sequence length, got " + in.get(0).type()
          + " (export to ONNX, whose native form runs any length, or give the input a static length)");
    }
    int seq = Math.toIntExact(seqDim.size());
    long h = node.input(2).type().shape().dim(2).size();
    long gh = gates * h;
    Value h0all = in.size() > 4 ? in.get(4) : null, c0all = in.size() > 5 ? in.get(5) : null;
    if (batchFirst && h0all != null) h0all = Ops.transpose(b, h0all, new long[] {1, 0, 2});
    if (batchFirst && c0all != null) c0all = Ops.transpose(b, c0all, new long[] {1, 0, 2});
    List<Value> ws = perDirection(b, in.get(1), nd), rs = perDirection(b, in.get(2), nd);
    List<Value> bs = in.size() > 3 ? perDirection(b, in.get(3), nd) : null;
    List<Value> h0s = h0all == null ? null : perDirection(b, h0all, nd), c0s = c0all == null ? null : perDirection(b, c0all, nd);
    List<List<Value>> ys = new ArrayList<>();
    List<Value> lastH = new ArrayList<>(), lastC = new ArrayList<>();
    for (int d = 0; d < nd; d++) {
      Value wT = Ops.transpose(b, ws.get(d), new long[] {1, 0});
      Value rT = Ops.transpose(b, rs.get(d), new long[] {1, 0});
      Value xw = Ops.matMul(b, x, wT);  // [seq, batch, gates*hidden], all steps at once
      Value rb = null;
      if (bs != null) {
        List<Value> wbRb = split(b, bs.get(d), 0, gh, gh);
        Value wb = wbRb.get(0), rbias = wbRb.get(1);
        if (foldRb) xw = Ops.add(b, xw, Ops.add(b, wb, rbias));
        else {
          xw = Ops.add(b, xw, wb);
          rb = rbias;
        }
      }
      Weights w = new Weights(rT, rb, h);
      Value hPrev = h0s == null ? null : h0s.get(d), cPrev = c0s == null ? null : c0s.get(d);
      boolean backward = reverseOnly || d == 1;
      // One Split into the steps: its gradient is one Concat, where a Slice per step would pad each
      // step's gradient to the whole [seq, batch, gates*hidden] and add them up (quadratic in seq).
      long[] ones = new long[seq];
      java.util.Arrays.fill(ones, 1);
      List<Value> xws = split(b, xw, 0, ones);
      Value[] step = new Value[seq];
      for (int k = 0; k < seq; k++) {
        int t = backward ? seq - 1 - k : k;
        Value xt = Ops.squeeze(b, xws.get(t), new long[] {0});
        Value[] hc = cell.step(b, xt, hPrev, cPrev, w);
        hPrev = hc[0];
        cPrev = hc[1];
        step[t] = hPrev;
      }
      ys.add(List.of(step));
      lastH.add(hPrev);
      lastC.add(cPrev);
    }
    List<Value> perT = new ArrayList<>();
    for (int t = 0; t < seq; t++) {
      List<Value> dirs = new ArrayList<>();
      for (int d = 0; d < nd; d++) dirs.add(Ops.unsqueeze(b, ys.get(d).get(t), new long[] {0, 1}));
      perT.add(concat(b, dirs, 1));
    }
    Value y = concat(b, perT, 0);  // [seq, dirs, batch, hidden]
    List<Value> outs = new ArrayList<>();
    outs.add(batchFirst ? Ops.transpose(b, y, new long[] {2, 0, 1, 3}) : y);
    outs.add(stack(b, lastH, batchFirst));
    if (node.outputs().size() > 2) outs.add(stack(b, lastC, batchFirst));
    return outs;
  }

  /** Each direction of a [dirs, ...] tensor, without the dirs axis. */
  private static List<Value> perDirection(GraphBuilder b, Value v, int nd) {
    long[] ones = new long[nd];
    java.util.Arrays.fill(ones, 1);
    List<Value> out = new ArrayList<>();
    for (Value p : split(b, v, 0, ones)) out.add(Ops.squeeze(b, p, new long[] {0}));
    return out;
  }

  /**
   * {@code v} cut along {@code axis} (negative counts from the end) into consecutive pieces of the given
   * sizes, by one Split ({@code v} itself when there is one piece).
   */
  public static List<Value> split(GraphBuilder b, Value v, long axis, long... sizes) {
    if (sizes.length == 1) return List.of(v);
    return Ops.split(b, v, axis, sizes, 0L);
  }

  /** The {@code n} gates of a {@code [batch, n*hidden]} value, by one Split of the last axis. */
  public static List<Value> gates(GraphBuilder b, Value v, int n, long hidden) {
    long[] sizes = new long[n];
    java.util.Arrays.fill(sizes, hidden);
    return split(b, v, -1, sizes);
  }

  /** {@code a + b}, where either may be null (absent, i.e. zero). */
  public static Value add(GraphBuilder b, Value x, Value y) {
    if (x == null) return y;
    if (y == null) return x;
    return Ops.add(b, x, y);
  }

  private static Value concat(GraphBuilder b, List<Value> parts, long axis) {
    return parts.size() == 1 ? parts.get(0) : Ops.concat(b, parts, axis);
  }

  /** Final states per direction as {@code [dirs, batch, hidden]} (or {@code [batch, dirs, hidden]} batch-first). */
  private static Value stack(GraphBuilder b, List<Value> perDir, boolean batchFirst) {
    List<Value> parts = new ArrayList<>();
    for (Value v : perDir) parts.add(Ops.unsqueeze(b, v, new long[] {batchFirst ? 1 : 0}));
    return concat(b, parts, batchFirst ? 1 : 0);
  }
}
