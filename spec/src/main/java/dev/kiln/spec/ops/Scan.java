package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxEmitter;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.Subgraphs;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scan, ONNX Scan-9/11/16: inputs are N initial states, M scan inputs, then the {@code captures} enclosing values
 * the body reads. Step t runs {@code (s..., y...) = body(s..., x_1[t], ..., x_M[t], captured...)}, slicing each scan
 * input along its axis ({@code scan_input_axes}, default 0; {@code scan_input_directions} 1 = from the end); the node
 * gives the final states and each y stacked along {@code scan_output_axes} (reversed where
 * {@code scan_output_directions} says 1). The scan length must agree over the scan inputs.
 *
 * <p>A composite: ONNX gets the native {@code Scan}; TensorFlow and autodiff run the decomposition, which unrolls
 * the steps, so the scan length must be static there.
 */
public final class Scan extends Op {
  /** The most steps the decomposition unrolls. */
  public static final long MAX_UNROLL = 1024;

  @Override public String summary() { return "(s..., ys...) = scan of body(s..., x[t]..., captured...) (subgraph)"; }

  @Override public Signature signature() {
    return Signature.inputs("values").variadic().varyingOutputs()
        .required("body", AttrKind.GRAPH, "(states..., scan slices..., captured...) -> (states..., scan outputs...)")
        .required("num_scan_inputs", AttrKind.INT, "M: how many inputs after the states are scanned")
        .attr("captures", AttrKind.INT, 0L, "how many trailing inputs are enclosing values the body reads")
        .attr("scan_input_axes", AttrKind.INTS, new long[0], "the axis of each scan input (default 0)")
        .attr("scan_input_directions", AttrKind.INTS, new long[0], "1 scans an input from its end (default 0)")
        .attr("scan_output_axes", AttrKind.INTS, new long[0], "the axis each scan output is stacked on (default 0)")
        .attr("scan_output_directions", AttrKind.INTS, new long[0], "1 stacks a scan output in reverse (default 0)");
  }

  /** The node's layout: N states, M scan inputs (axes normalised), C captures, K scan outputs, length L. */
  private record Layout(int states, int scans, int captures, long[] inAxes, long[] inDirs, Dim length) {}

  private static Layout layout(List<TensorType> in, Attrs attrs) {
    long m = attrs.getLong("num_scan_inputs");
    long c = attrs.getLong("captures");
    if (m < 1 || c < 0 || m + c > in.size()) {
      throw new ShapeException("num_scan_inputs = " + m + " and captures = " + c + " do not fit " + in.size() + " inputs");
    }
    int n = (int) (in.size() - m - c);
    long[] axes = perInput(attrs, "scan_input_axes", (int) m);
    long[] dirs = perInput(attrs, "scan_input_directions", (int) m);
    Dim length = null;
    for (int j = 0; j < m; j++) {
      TensorType x = in.get(n + j);
      axes[j] = x.shape().axis("Scan", axes[j]);
      Dim d = x.shape().dim((int) axes[j]);
      if (length == null || !length.isStatic()) length = d;
      else if (d.isStatic() && d.size() != length.size()) {
        throw new ShapeException("scan input " + j + " has length " + d + " on axis " + axes[j] + ", an earlier one " + length);
      }
    }
    return new Layout(n, (int) m, (int) c, axes, dirs, length);
  }

  private static long[] perInput(Attrs attrs, String name, int count) {
    long[] v = attrs.getLongs(name);
    if (v.length == 0) return new long[count];
    if (v.length != count) throw new ShapeException(name + " has " + v.length + " entries for " + count + " scans");
    return v;
  }

  private static TensorType without(TensorType t, int axis) {
    List<Dim> dims = new ArrayList<>(t.shape().dims());
    dims.remove(axis);
    return t.withShape(Shape.of(dims));
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Layout l = layout(in, attrs);
    List<TensorType> bodyIn = new ArrayList<>(in.subList(0, l.states()));
    for (int j = 0; j < l.scans(); j++) bodyIn.add(without(in.get(l.states() + j), (int) l.inAxes()[j]));
    bodyIn.addAll(in.subList(l.states() + l.scans(), in.size()));
    Graph body = Subgraphs.body(attrs, "body", bodyIn);
    List<Value> outs = body.outputs();
    if (outs.size() < l.states()) throw new ShapeException("body gives " + outs.size() + " outputs for " + l.states() + " states");
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < l.states(); i++) {
      if (!Subgraphs.compatible(in.get(i), outs.get(i).type())) {
        throw new ShapeException("state " + i + " is " + in.get(i) + " initially and " + outs.get(i).type() + " after the body");
      }
      out.add(Subgraphs.join(in.get(i), outs.get(i).type()));
    }
    int k = outs.size() - l.states();
    long[] outAxes = perInput(attrs, "scan_output_axes", k);
    perInput(attrs, "scan_output_directions", k);
    for (int j = 0; j < k; j++) {
      TensorType e = outs.get(l.states() + j).type();
      List<Dim> dims = new ArrayList<>(e.shape().dims());
      long a = outAxes[j] < 0 ? outAxes[j] + e.rank() + 1 : outAxes[j];
      if (a < 0 || a > e.rank()) throw new ShapeException("scan_output_axes[" + j + "] = " + outAxes[j] + " is out of range for " + e);
      dims.add((int) a, l.length());
      out.add(e.withShape(Shape.of(dims)));
    }
    return out;
  }

  @Override public OnnxLowering onnx() { return OnnxLowering.of(Onnx.custom("Scan", 11, Scan::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Node node = e.node();
    Attrs a = node.attrs();
    int c = (int) a.getLong("captures");
    int formal = node.inputs().size() - c;
    List<String> in = new ArrayList<>();
    List<String> outer = new ArrayList<>();
    for (int i = 0; i < node.inputs().size(); i++) {
      if (i < formal) in.add(e.input(i));
      outer.add(i < formal ? null : e.input(i));
    }
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < node.outputs().size(); i++) outs.add(e.output(i));
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("body", e.subgraph("body", (Graph) a.get("body"), outer));
    attrs.put("num_scan_inputs", a.getLong("num_scan_inputs"));
    for (String k : List.of("scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions")) {
      if (a.getLongs(k).length > 0) attrs.put(k, a.getLongs(k));
    }
    e.emit("Scan", in, outs, attrs);
  }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native form; runs its decomposition (unrolled)"); }

  @Override public Decomposition decomposition() { return Scan::unroll; }

  private static List<Value> unroll(GraphBuilder b, Node node, List<Value> in) {
    List<TensorType> types = in.stream().map(Value::type).toList();
    Layout l = layout(types, node.attrs());
    if (!l.length().isStatic() || l.length().size() < 1 || l.length().size() > MAX_UNROLL) {
      throw new UnsupportedOpException("Scan (node " + node.output().name() + "): the scan length is " + l.length()
          + "; unrolling it (TensorFlow, gradients) needs a static length of 1 to " + MAX_UNROLL);
    }
    Graph body = (Graph) node.attrs().get("body");
    int len = (int) l.length().size();
    List<Value> states = new ArrayList<>(in.subList(0, l.states()));
    List<Value> captured = in.subList(l.states() + l.scans(), in.size());
    int k = body.outputs().size() - l.states();
    List<List<Value>> rows = new ArrayList<>();
    for (int j = 0; j < k; j++) rows.add(new ArrayList<>());
    for (int t = 0; t < len; t++) {
      List<Value> args = new ArrayList<>(states);
      for (int j = 0; j < l.scans(); j++) {
        long step = l.inDirs()[j] == 1 ? len - 1 - t : t;
        Value index = Ops.constant(b, HostTensor.ofLongs(new long[] {step}));
        args.add(Ops.gather(b, in.get(l.states() + j), index, l.inAxes()[j]));
      }
      args.addAll(captured);
      List<Value> out = Subgraphs.inline(b, body, args);
      for (int i = 0; i < l.states(); i++) states.set(i, out.get(i));
      for (int j = 0; j < k; j++) rows.get(j).add(out.get(l.states() + j));
    }
    long[] outAxes = perInput(node.attrs(), "scan_output_axes", k);
    long[] outDirs = perInput(node.attrs(), "scan_output_directions", k);
    List<Value> result = new ArrayList<>(states);
    for (int j = 0; j < k; j++) {
      List<Value> r = new ArrayList<>(rows.get(j));
      if (outDirs[j] == 1) Collections.reverse(r);
      int rank = r.get(0).type().rank();
      long axis = outAxes[j] < 0 ? outAxes[j] + rank + 1 : outAxes[j];
      List<Value> parts = new ArrayList<>();
      for (Value v : r) parts.add(Ops.unsqueeze(b, v, new long[] {axis}));
      result.add(parts.size() == 1 ? parts.get(0) : Ops.concat(b, parts, axis));
    }
    return result;
  }
}
