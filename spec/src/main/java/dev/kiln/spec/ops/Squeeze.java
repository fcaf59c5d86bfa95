package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
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
import dev.kiln.spec.op.Vjp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Removes size-1 axes: those in {@code axes}, or every static 1 when {@code axes} is empty. ONNX
 * Squeeze-13 (axes as an optional input).
 */
public final class Squeeze extends Op {
  @Override public String summary() { return "y = x without the size-1 axes listed (all size-1 axes if none)"; }

  @Override public Signature signature() {
    return Signature.inputs("x").attr("axes", AttrKind.INTS, new long[0], "axes to remove; empty removes every size-1 axis");
  }

  /** The axes removed, normalised and sorted. */
  public static long[] removed(TensorType x, long[] axes) {
    boolean[] drop = new boolean[x.rank()];
    if (axes.length == 0) {
      for (int d = 0; d < x.rank(); d++) {
        Dim dim = x.shape().dim(d);
        // NOTE: a dynamic axis might be 1 at run time and then ONNX would drop it; the IR type cannot say.
        if (!dim.isStatic()) {
          throw new ShapeException("without axes every dim must be static, but input x is " + x + " (name the axes)");
        }
        drop[d] = dim.size() == 1;
      }
    } else {
      for (long a : axes) {
        int ax = x.shape().axis("Squeeze", a);
        if (drop[ax]) throw new ShapeException("axes " + Arrays.toString(axes) + " repeat axis " + ax);
        Dim dim = x.shape().dim(ax);
        if (dim.isStatic() && dim.size() != 1) {
          throw new ShapeException("axis " + a + " of input x " + x + " has size " + dim + ", expected 1");
        }
        drop[ax] = true;
      }
    }
    return java.util.stream.IntStream.range(0, x.rank()).filter(d -> drop[d]).asLongStream().toArray();
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    long[] gone = removed(x, attrs.getLongs("axes"));
    List<Dim> out = new ArrayList<>();
    for (int d = 0; d < x.rank(); d++) if (Arrays.binarySearch(gone, d) < 0) out.add(x.shape().dim(d));
    return List.of(x.withShape(Shape.of(out)));
  }

  /** The removed axes put back. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      long[] gone = removed(node.inputs().get(0).type(), node.attrs().getLongs("axes"));
      return List.of(gone.length == 0 ? gys.get(0) : Ops.unsqueeze(b, gys.get(0), gone));
    };
  }

  /** A view: a constant keeps its bytes, a shape value its entries, a fill its value ({@link dev.kiln.spec.op.Folding#view}). */
  @Override public dev.kiln.spec.op.Folder folder() { return dev.kiln.spec.op.Folding.view(this); }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Squeeze", 13, Squeeze::emitOnnx)); }

  /** The resolved axes are always passed, so ONNX never has to guess which dims are 1. */
  private static void emitOnnx(OnnxEmitter e) {
    long[] gone = removed(e.node().inputs().get(0).type(), e.node().attrs().getLongs("axes"));
    List<String> ins = new ArrayList<>(List.of(e.input(0)));
    ins.add(e.constant(HostTensor.ofLongs(gone, gone.length), "axes"));
    e.emit("Squeeze", ins, List.of(e.output(0)), Map.of());
  }

  @Override public TfLowering tf() { return TfLowering.custom("Squeeze"); }

}
