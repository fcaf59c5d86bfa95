package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
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
import dev.kiln.spec.op.TypeRules;
import dev.kiln.spec.op.Vjp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Inverted dropout: in training form ({@code training} true) y = x * mask / (1 - rate), mask 0 with
 * probability {@code rate}, drawn per element, or per (sample, channel) when {@code spatial} (whole
 * channels, axis 1); in inference form y = x. The mask is a pure function of ({@code seed}, step, element index),
 * step being the f32 scalar input (the trainer's {@code train.step}): the counter-based hash of {@link DropoutMask}
 * in plain int64 IR ops, the training form's decomposition, which every back end runs (TensorFlow, and ONNX Runtime
 * through an exported training step), so the same seed gives the same masks bit for bit on both and the gradient
 * rule can redraw it. ONNX: the inference form as Identity (the exporter runs the eval-mode rewrite first); a
 * training-form node kept for Monte Carlo dropout ({@code ExportOptions.keepDropout}), as a RandomUniformLike mask;
 * in a training-step export ({@code ExportOptions.trainingForm}) as its decomposition.
 */
public final class Dropout extends Op {
  @Override public String summary() { return "y = x * mask / (1 - rate) in training form (mask keyed by seed and step), y = x in inference form"; }

  @Override public Signature signature() {
    return Signature.inputs("x", "step").optionalFrom(1)
        .attr("rate", AttrKind.FLOAT, 0.5, "probability of dropping an element (or channel)")
        .attr("seed", AttrKind.INT, 0L, "random key, with the step input")
        .attr("spatial", AttrKind.BOOL, false, "drop whole channels (axis 1) of each sample")
        .attr("training", AttrKind.BOOL, false, "training form (needs the step input); false: identity");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
    TensorType x = in.get(0);
    TypeRules.requireFloat("input x", x);
    double rate = attrs.getDouble("rate");
    if (!(rate >= 0 && rate < 1)) throw new ShapeException("attribute rate must be in [0, 1), got " + rate);
    if (attrs.getBool("spatial")) TypeRules.requireRankAtLeast("input x (spatial dropout)", x, 2);
    if (attrs.getBool("training")) {
      if (in.size() < 2) throw new ShapeException("the training form needs input step (f32 scalar)");
      TensorType s = in.get(1);
      if (s.dtype() != DType.F32 || s.rank() != 0) throw new ShapeException("input step must be an f32 scalar, got " + s);
    }
    return List.of(x);
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("Identity", 13, Dropout::emitOnnx)); }

  /**
   * The inference form as Identity. A training-form node reaches here only when the export keeps dropout random
   * (Monte Carlo dropout): y = x * (u >= rate) / (1 - rate) with u = RandomUniformLike(x) seeded by the node's seed,
   * drawn by ONNX Runtime's generator (not TF's, so the two back ends agree in distribution, not mask by mask).
   * NOTE: not ONNX Dropout with training_mode: ONNX Runtime's graph optimiser removes Dropout nodes even then
   * (measured with 1.28: the outputs were the inference form's). ONNX has no per-channel dropout here: a spatial one
   * is refused.
   */
  private static void emitOnnx(OnnxEmitter e) {
    var a = e.node().attrs();
    if (!a.getBool("training")) {
      e.emit("Identity", List.of(e.input(0)), List.of(e.output(0)), Map.of());
      return;
    }
    if (a.getBool("spatial")) {
      throw new dev.kiln.spec.UnsupportedOpException("spatial (per-channel) training-form Dropout has no ONNX form; export with dropout off");
    }
    DType dt = e.node().input(0).type().dtype();
    double rate = a.getDouble("rate");
    String u = e.fresh("uniform");
    e.emit("RandomUniformLike", List.of(e.input(0)), List.of(u), Map.of("seed", (double) a.getLong("seed")));
    String keep = e.fresh("keep");
    e.emit("GreaterOrEqual", List.of(u, e.constant(dev.kiln.spec.HostTensor.fromDoubles(dt, new double[] {rate}), "rate")), List.of(keep), Map.of());
    String mask = e.fresh("mask");
    e.emit("Cast", List.of(keep), List.of(mask), Map.of("to", (long) onnxType(dt)));
    String kept = e.fresh("kept");
    e.emit("Mul", List.of(e.input(0), mask), List.of(kept), Map.of());
    double scale = 1 / (1 - rate);
    e.emit("Mul", List.of(kept, e.constant(dev.kiln.spec.HostTensor.fromDoubles(dt, new double[] {scale}), "scale")), List.of(e.output(0)), Map.of());
  }

  /** ONNX TensorProto data type numbers of the floating dtypes. */
  private static int onnxType(DType dt) {
    return switch (dt) {
      case F32 -> 1;
      case F64 -> 11;
      case F16 -> 10;
      case BF16 -> 16;
      default -> throw new dev.kiln.spec.UnsupportedOpException("Dropout of " + dt + " has no ONNX form");
    };
  }

  /** The inference form is TF Identity; the training form runs the decomposition ({@link #tfNative}). */
  @Override public TfLowering tf() { return TfLowering.custom("Identity (inference form)"); }

  @Override public boolean tfNative(dev.kiln.spec.ir.Node n) { return !n.attrs().getBool("training"); }

  /**
   * Training form: y = x * (mask * 1 / (1 - rate)) with the {@link DropoutMask} keep mask; inference form: y = x.
   * NOTE: one formula for every back end is the point: TF's own random ops (Philox) have no ONNX equivalent.
   */
  @Override public dev.kiln.spec.op.Decomposition decomposition() {
    return (b, node, in) -> {
      var a = node.attrs();
      double rate = a.getDouble("rate");
      if (!a.getBool("training") || rate == 0) return List.of(in.get(0));
      dev.kiln.spec.ir.Value x = in.get(0);
      DType dt = x.type().dtype();
      dev.kiln.spec.ir.Value keep = DropoutMask.build(b, x, in.get(1), a.getLong("seed"), rate, a.getBool("spatial"));
      dev.kiln.spec.ir.Value mask = Ops.cast(b, keep, dt);
      dev.kiln.spec.ir.Value scale = Ops.constant(b, dev.kiln.spec.HostTensor.scalar(dt, 1 / (1 - rate)));
      return List.of(Ops.mul(b, x, Ops.mul(b, mask, scale)));
    };
  }

  /** dx = Dropout(gy) with the same attributes and step: the same mask, redrawn. The step gets none. */
  @Override public Vjp vjp() {
    return (b, node, gys) -> {
      List<dev.kiln.spec.ir.Value> in = new java.util.ArrayList<>(node.inputs());
      in.set(0, gys.get(0));
      dev.kiln.spec.ir.Value dx = b.apply(this, in, node.attrs()).get(0);
      return in.size() == 1 ? List.of(dx) : Arrays.asList(dx, null);
    };
  }
}
