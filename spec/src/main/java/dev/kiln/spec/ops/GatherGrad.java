package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * y = zeros of {@code like}'s type with the slices of {@code updates} added at {@code indices} along
 * {@code axis}; indices that repeat add up. The adjoint of {@link Gather} (updates has Gather's output shape
 * data[:axis] + indices.shape + data[axis+1:]); like's values are not read. ONNX ScatterElements-16 with
 * reduction "add" (opsets below 16 have no scatter that adds); TF UnsortedSegmentSum between transposes.
 */
public final class GatherGrad extends Op {
  @Override public String summary() { return "y = zeros like 'like' plus updates scatter-added at indices along axis"; }

  @Override public Signature signature() {
    return Signature.inputs("updates", "indices", "like").attr("axis", AttrKind.INT, 0L, "the axis the indices address");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType up = in.get(0);
    TensorType idx = in.get(1);
    TensorType like = in.get(2);
    TypeRules.requireNumeric("input updates", up);
    if (idx.dtype() != DType.I32 && idx.dtype() != DType.I64) throw new ShapeException("input indices must be i32 or i64, got " + idx);
    if (up.dtype() != like.dtype()) throw new ShapeException("input updates has dtype " + up.dtype() + " but like has " + like.dtype());
    int a = Gather.axis(like, attrs);
    Shape want = Gather.gathered(like.shape(), idx.shape(), a);
    if (up.rank() != want.rank()) throw new ShapeException("input updates must have shape " + want + ", got " + up.shape());
    for (int i = 0; i < want.rank(); i++) TypeRules.unify("input updates must have shape " + want + ", axis " + i, up.shape().dim(i), want.dim(i));
    return List.of(like);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("ScatterElements", 16, GatherGrad::emitOnnx)); }

  /**
   * updates is reshaped to like's shape with the axis replaced by -1 (the indices' dims folded into one), the
   * indices to rank r with -1 at the axis and expanded to match, then scatter-added into zeros.
   */
  private static void emitOnnx(OnnxEmitter e) {
    Node n = e.node();
    TensorType like = n.input(2).type();
    int r = like.rank();
    int a = Gather.axis(like, n.attrs());
    long[] mask = new long[r];
    long[] offset = new long[r];
    Arrays.fill(mask, 1);
    mask[a] = 0;
    offset[a] = -1;
    String shape = e.fresh("like_shape");
    e.emit("Shape", List.of(e.input(2)), List.of(shape), Map.of());
    String masked = e.fresh("masked_shape");
    e.emit("Mul", List.of(shape, e.constant(HostTensor.ofLongs(mask, r), "mask")), List.of(masked), Map.of());
    String flatShape = e.fresh("updates_shape");
    e.emit("Add", List.of(masked, e.constant(HostTensor.ofLongs(offset, r), "offset")), List.of(flatShape), Map.of());
    String flat = e.fresh("updates_flat");
    e.emit("Reshape", List.of(e.input(0), flatShape), List.of(flat), Map.of());
    long[] idxShape = new long[r];
    Arrays.fill(idxShape, 1);
    idxShape[a] = -1;
    String idx = e.fresh("indices_line");
    e.emit("Reshape", List.of(e.input(1), e.constant(HostTensor.ofLongs(idxShape, r), "indices_shape")), List.of(idx), Map.of());
    String flatShapeNow = e.fresh("flat_shape");
    e.emit("Shape", List.of(flat), List.of(flatShapeNow), Map.of());
    String idxFull = e.fresh("indices_full");
    e.emit("Expand", List.of(idx, flatShapeNow), List.of(idxFull), Map.of());
    String zeros = e.fresh("zeros");
    e.emit("ConstantOfShape", List.of(shape), List.of(zeros), Map.of("value", HostTensor.fromDoubles(like.dtype(), new double[] {0}, 1)));
    e.emit("ScatterElements", List.of(zeros, idxFull, flat), List.of(e.output(0)), Map.of("axis", (long) a, "reduction", "add"));
  }

  @Override public TfLowering tf() { return TfLowering.custom("UnsortedSegmentSum"); }

  /** dupdates = Gather(gy, indices, axis): the op is linear in updates; indices and like get none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> Arrays.asList(
        Ops.gather(b, gys.get(0), node.input(1), node.attrs().getLong("axis")), null, null);
  }
}
