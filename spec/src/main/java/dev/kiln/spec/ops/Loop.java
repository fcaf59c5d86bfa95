package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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
import java.util.List;
import java.util.Map;

/**
 * A loop, ONNX Loop-11/13/16 over tensors: {@code for (i = 0; i < trip_count && cond; i++) (cond, v..., s...) =
 * body(i, cond, v..., captured...)}. Inputs: the trip count (i64 scalar), the initial condition (bool scalar), the
 * N loop-carried values, then the {@code captures} values the body reads from the enclosing graph. The body gives
 * the next condition, the N carried values (types compatible with the initial ones) and K scan outputs; the node
 * gives the final carried values and each scan output stacked over the iterations on a new first axis (its length
 * known only at run time). ONNX's "no trip count" and "no condition" are a trip count of 2^63 - 1 and true.
 *
 * <p>TensorFlow runs it as a while loop ({@code TfHandlers}, "Loop"); the decomposition unrolls it when the trip
 * count is a constant (at most {@link #MAX_UNROLL}) and the condition can never stop it early, which is what
 * autodiff differentiates (the gradient of a loop with a static trip count).
 */
public final class Loop extends Op {
  /** The most iterations the decomposition (autodiff's form) unrolls. */
  public static final long MAX_UNROLL = 1024;

  @Override public String summary() { return "(v..., scans...) = loop of body(i, cond, v..., captured...) (subgraph)"; }

  @Override public Signature signature() {
    return Signature.inputs("trip_count", "cond", "values").variadic().optionalFrom(2).varyingOutputs()
        .required("body", AttrKind.GRAPH, "(i, cond, carried..., captured...) -> (cond, carried..., scan outputs...)")
        .attr("captures", AttrKind.INT, 0L, "how many trailing inputs are enclosing values the body reads");
  }

  /** The number of loop-carried values of a node's inputs and attributes. */
  static int carried(int inputs, Attrs attrs) {
    long c = attrs.getLong("captures");
    if (c < 0 || c > inputs - 2) throw new ShapeException("captures = " + c + " but the node has " + (inputs - 2) + " values");
    return (int) (inputs - 2 - c);
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Subgraphs.scalar("trip_count", in.get(0), DType.I64);
    Subgraphs.scalar("cond", in.get(1), DType.BOOL);
    int n = carried(in.size(), attrs);
    List<TensorType> bodyIn = new ArrayList<>();
    bodyIn.add(TensorType.of(DType.I64));
    bodyIn.add(TensorType.of(DType.BOOL));
    bodyIn.addAll(in.subList(2, in.size()));
    Graph body = Subgraphs.body(attrs, "body", bodyIn);
    List<Value> outs = body.outputs();
    if (outs.size() < 1 + n) {
      throw new ShapeException("body gives " + outs.size() + " outputs, it must give the condition and the " + n + " carried values");
    }
    Subgraphs.scalar("body output 0 (cond)", outs.get(0).type(), DType.BOOL);
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TensorType init = in.get(2 + i);
      TensorType next = outs.get(1 + i).type();
      if (!Subgraphs.compatible(init, next)) {
        throw new ShapeException("carried value " + i + " is " + init + " initially and " + next
            + " after the body (loop-carried types must stay the same)");
      }
      out.add(Subgraphs.join(init, next));
    }
    for (int k = 1 + n; k < outs.size(); k++) {
      TensorType e = outs.get(k).type();
      List<Dim> dims = new ArrayList<>();
      dims.add(Dim.unknown());
      dims.addAll(e.shape().dims());
      out.add(e.withShape(Shape.of(dims)));
    }
    return out;
  }

  @Override public OnnxLowering onnx() { return OnnxLowering.of(Onnx.custom("Loop", 11, Loop::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Node node = e.node();
    int n = carried(node.inputs().size(), node.attrs());
    List<String> in = new ArrayList<>();
    for (int i = 0; i < 2 + n; i++) in.add(e.input(i));
    List<String> outer = new ArrayList<>();
    for (int i = 0; i < 2 + n; i++) outer.add(null);
    for (int i = 2 + n; i < node.inputs().size(); i++) outer.add(e.input(i));
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < node.outputs().size(); i++) outs.add(e.output(i));
    e.emit("Loop", in, outs, Map.of("body", e.subgraph("body", (Graph) node.attrs().get("body"), outer)));
  }

  @Override public TfLowering tf() { return TfLowering.custom("While"); }

  @Override public Decomposition decomposition() { return Loop::unroll; }

  /** The loop unrolled: needs a constant trip count and a condition that cannot stop it early. */
  private static List<Value> unroll(GraphBuilder b, Node node, List<Value> in) {
    Graph body = (Graph) node.attrs().get("body");
    int n = carried(in.size(), node.attrs());
    HostTensor trips = Subgraphs.constantOf(b, in.get(0));
    HostTensor cond = Subgraphs.constantOf(b, in.get(1));
    Value bodyCond = body.outputs().get(0);
    boolean neverStops = Subgraphs.passesThrough(body, bodyCond, body.inputs().get(1)) || Subgraphs.constantTrue(body, bodyCond);
    if (trips == null || cond == null || cond.getDouble(0) == 0 || !neverStops || trips.getDouble(0) < 1
        || trips.getDouble(0) > MAX_UNROLL) {
      throw new UnsupportedOpException("Loop (node " + node.output().name() + "): only a loop with a constant trip count"
          + " of 1.." + MAX_UNROLL + " and a condition that is always true can be unrolled (for gradients); this one has "
          + (trips == null ? "a trip count computed at run time" : "trip count " + (long) trips.getDouble(0))
          + (neverStops ? "" : " and a condition computed in the body"));
    }
    long count = (long) trips.getDouble(0);
    List<Value> carried = new ArrayList<>(in.subList(2, 2 + n));
    List<Value> captured = in.subList(2 + n, in.size());
    int scans = body.outputs().size() - 1 - n;
    List<List<Value>> rows = new ArrayList<>();
    for (int k = 0; k < scans; k++) rows.add(new ArrayList<>());
    Value yes = Ops.constant(b, HostTensor.ofBooleans(new boolean[] {true}));
    for (long i = 0; i < count; i++) {
      List<Value> args = new ArrayList<>();
      args.add(Ops.constant(b, HostTensor.ofLongs(new long[] {i})));
      args.add(yes);
      args.addAll(carried);
      args.addAll(captured);
      List<Value> out = Subgraphs.inline(b, body, args);
      for (int j = 0; j < n; j++) carried.set(j, out.get(1 + j));
      for (int k = 0; k < scans; k++) rows.get(k).add(Ops.unsqueeze(b, out.get(1 + n + k), new long[] {0}));
    }
    List<Value> result = new ArrayList<>(carried);
    for (List<Value> r : rows) result.add(r.size() == 1 ? r.get(0) : Ops.concat(b, r, 0));
    return result;
  }
}
