package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
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
 * Runs one of two subgraphs, ONNX If-11/13/16 (tensor outputs): {@code cond ? then_branch(captured) :
 * else_branch(captured)}. Both branches take the node's captured inputs (the enclosing values they read) and give
 * the same number of outputs of equal dtypes and ranks; a dim on which they disagree is unknown in the output.
 *
 * <p>A composite: ONNX gets the native {@code If}; TensorFlow and autodiff run the decomposition, which inlines the
 * chosen branch when {@code cond} is a constant, else computes both branches and selects each output with
 * {@code Where} (branches are side-effect free, so this is the same function; its gradient is the selected
 * branch's gradient, the VJP of If). That needs the branches' outputs to have equal shapes.
 */
public final class If extends Op {
  @Override public String summary() { return "cond ? then_branch(captured) : else_branch(captured) (subgraphs)"; }

  @Override public Signature signature() {
    return Signature.inputs("cond", "captured").variadic().optionalFrom(1).varyingOutputs()
        .required("then_branch", AttrKind.GRAPH, "the subgraph run when cond is true (inputs: the captured values)")
        .required("else_branch", AttrKind.GRAPH, "the subgraph run when cond is false (inputs: the captured values)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    Subgraphs.scalar("cond", in.get(0), DType.BOOL);
    List<TensorType> captured = in.subList(1, in.size());
    Graph then = Subgraphs.body(attrs, "then_branch", captured);
    Graph other = Subgraphs.body(attrs, "else_branch", captured);
    if (then.outputs().size() != other.outputs().size()) {
      throw new ShapeException("then_branch gives " + then.outputs().size() + " outputs, else_branch "
          + other.outputs().size());
    }
    List<TensorType> out = new ArrayList<>();
    for (int i = 0; i < then.outputs().size(); i++) {
      TensorType a = then.outputs().get(i).type();
      TensorType b = other.outputs().get(i).type();
      if (a.dtype() != b.dtype() || a.rank() != b.rank()) {
        throw new ShapeException("output " + i + ": then_branch gives " + a + ", else_branch " + b
            + " (dtype and rank must agree)");
      }
      out.add(Subgraphs.join(a, b));
    }
    return out;
  }

  @Override public OnnxLowering onnx() { return OnnxLowering.of(Onnx.custom("If", 11, If::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Node n = e.node();
    List<String> captured = new ArrayList<>();
    for (int i = 1; i < n.inputs().size(); i++) captured.add(e.input(i));
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < n.outputs().size(); i++) outs.add(e.output(i));
    Graph then = (Graph) n.attrs().get("then_branch");
    Graph other = (Graph) n.attrs().get("else_branch");
    e.emit("If", List.of(e.input(0)), outs, Map.of(
        "then_branch", e.subgraph("then_branch", then, captured),
        "else_branch", e.subgraph("else_branch", other, captured)));
  }

  @Override public TfLowering tf() {
    return TfLowering.unsupported("no native form; runs its decomposition (the constant branch, or both branches and Where)");
  }

  @Override public Decomposition decomposition() { return If::expand; }

  private static List<Value> expand(GraphBuilder b, Node n, List<Value> in) {
    List<Value> captured = in.subList(1, in.size());
    Graph then = (Graph) n.attrs().get("then_branch");
    Graph other = (Graph) n.attrs().get("else_branch");
    HostTensor cond = Subgraphs.constantOf(b, in.get(0));
    if (cond != null) return Subgraphs.inline(b, cond.getDouble(0) != 0 ? then : other, captured);
    Value c0 = in.get(0).type().rank() == 0 ? in.get(0) : Ops.reshape(b, in.get(0), new long[0]);
    List<Value> a = Subgraphs.inline(b, then, captured);
    List<Value> c = Subgraphs.inline(b, other, captured);
    List<Value> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).type().shape().equals(c.get(i).type().shape())) {
        throw new UnsupportedOpException("If (node " + n.output().name() + "): output " + i + " is " + a.get(i).type()
            + " in then_branch and " + c.get(i).type() + " in else_branch; run both and select (TensorFlow, gradients)"
            + " needs equal shapes");
      }
      out.add(Ops.where(b, c0, a.get(i), c.get(i)));
    }
    return out;
  }
}
