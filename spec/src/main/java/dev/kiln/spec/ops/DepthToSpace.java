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
 * y = x [N, C, H, W] with its channels moved into blocks of space: [N, C / b^2, H b, W b] (b = blocksize).
 * Mode DCR takes the block offsets from the outer part of the channel index (depth, column, row), CRD from the
 * inner part (column, row, depth). ONNX DepthToSpace-13 (-11 added mode); a composite of Reshape, Transpose,
 * Reshape elsewhere (TF's DepthToSpace is NHWC and DCR only).
 */
public final class DepthToSpace extends Op {
  @Override public String summary() { return "y = channels of x [N, C, H, W] rearranged into b x b spatial blocks (DCR or CRD)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("blocksize", AttrKind.INT, "the block edge b")
        .attr("mode", AttrKind.STRING, "DCR", "DCR (depth-column-row) or CRD (column-row-depth)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    TensorType x = in.get(0);
    long b = a.getLong("blocksize");
    if (x.rank() != 4) throw new ShapeException("input x must have rank 4 [N, C, H, W], got " + x);
    if (b < 1) throw new ShapeException("attribute blocksize must be >= 1, got " + b);
    String mode = a.getString("mode");
    if (!mode.equals("DCR") && !mode.equals("CRD")) throw new ShapeException("attribute mode must be DCR or CRD, got '" + mode + "'");
    Shape s = x.shape();
    if (!s.dim(1).isStatic() || !s.dim(2).isStatic() || !s.dim(3).isStatic()) throw new ShapeException("input x must have static C, H, W, got " + x);
    if (s.dim(1).size() % (b * b) != 0) throw new ShapeException("channels " + s.dim(1).size() + " of x must be divisible by blocksize^2 = " + b * b);
    return List.of(new TensorType(x.dtype(), Shape.of(s.dim(0), Dim.of(s.dim(1).size() / (b * b)), Dim.of(s.dim(2).size() * b),
        Dim.of(s.dim(3).size() * b))));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.op("DepthToSpace", 13).attr("blocksize").attr("mode")); }

  @Override public TfLowering tf() { return TfLowering.unsupported("no native NCHW form; runs its decomposition"); }

  /** DCR: [N, b, b, C', H, W] -> perm (0, 3, 4, 1, 5, 2); CRD: [N, C', b, b, H, W] -> perm (0, 1, 4, 2, 5, 3); then [N, C', H b, W b]. */
  @Override public Decomposition decomposition() {
    return (g, node, inputs) -> {
      Shape s = node.input(0).type().shape();
      long b = node.attrs().getLong("blocksize");
      long c = s.dim(1).size() / (b * b);
      long h = s.dim(2).size();
      long w = s.dim(3).size();
      boolean dcr = node.attrs().getString("mode").equals("DCR");
      long n = s.dim(0).isStatic() ? s.dim(0).size() : 0;
      long[] split = dcr ? new long[] {n, b, b, c, h, w} : new long[] {n, c, b, b, h, w};
      long[] perm = dcr ? new long[] {0, 3, 4, 1, 5, 2} : new long[] {0, 1, 4, 2, 5, 3};
      Value v = Ops.reshape(g, inputs.get(0), split);
      v = Ops.transpose(g, v, perm);
      v = Ops.reshape(g, v, new long[] {n, c, h * b, w * b});
      if (!v.type().equals(node.output().type())) throw new KilnException("DepthToSpace decomposition gave " + v.type());
      return List.of(v);
    };
  }
}
