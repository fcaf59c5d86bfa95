package dev.kiln.spec.ops;

import dev.kiln.spec.Dim;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Decomposition;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import java.util.List;

/**
 * y = x [N, C, H, W] with each b x b spatial block moved into channels: [N, C b^2, H / b, W / b], the block
 * offset outermost in the channel index (the inverse of DepthToSpace in DCR mode). ONNX SpaceToDepth-13; a
 * composite of Reshape, Transpose, Reshape elsewhere (TF's SpaceToDepth is NHWC).
 */
public final class SpaceToDepth extends Op {
  @Override public String summary() { return "y = b x b spatial blocks of x [N, C, H, W] moved into channels"; }

  @Override public Signature signature() { return Signature.inputs("x").required("blocksize", AttrKind.INT, "the block edge b"); }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    long b = a.getLong("blocksize");
    if (x.rank() != 4) throw new ShapeException("input x must have rank 4 [N, C, H, W], got " + x);
    if (b < 1) throw new ShapeException("attribute blocksize must be >= 1, got " + b);
    Shape s = x.shape();
    if (!s.dim(1).isStatic() || !s.dim(2).isStatic() || !s.dim(3).isStatic()) throw new ShapeException("input x must have static C, H, W, got " + x);
    if (s.dim(2).size() % b != 0 || s.dim(3).size() % b != 0) {
      throw new ShapeException("H and W of x must be divisible by blocksize " + b + ", got " + x);
    }
    return List.of(new TensorType(x.dtype(), Shape.of(s.dim(0), Dim.of(s.dim(1).size() * b * b), Dim.of(s.dim(2).size() / b),
        Dim.of(s.dim(3).size() / b))));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("SpaceToDepth", 13).attr("blocksize")); }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native NCHW form; runs its decomposition"); }

  /** [N, C, H/b, b, W/b, b] -> perm (0, 3, 5, 1, 2, 4) -> [N, C b^2, H/b, W/b]. */
  @Override public Decomposition decomposition() {
    return (g, node, inputs) -> {
      Shape s = node.input(0).type().shape();
      long b = node.attrs().getLong("blocksize");
      long c = s.dim(1).size();
      long h = s.dim(2).size() / b;
      long w = s.dim(3).size() / b;
      long n = s.dim(0).isStatic() ? s.dim(0).size() : 0;
      Value v = Ops.reshape(g, inputs.get(0), new long[] {n, c, h, b, w, b});
      v = Ops.transpose(g, v, new long[] {0, 3, 5, 1, 2, 4});
      v = Ops.reshape(g, v, new long[] {n, c * b * b, h, w});
      if (!v.type().equals(node.output().type())) throw new KilnException("SpaceToDepth decomposition gave " + v.type());
      return List.of(v);
    };
  }
}
