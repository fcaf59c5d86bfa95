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
 * channels, axis 1); in inference form y = x. The mask is a pure function of ({@code seed}, step, shape):
 * TF {@code StatelessRandomUniform} keyed by [seed, step], step being the f32 scalar input (the trainer's
 * {@code train.step}), so the same seed gives the same masks bit for bit and the gradient rule can redraw it.
 * ONNX: the inference form as Identity (the exporter runs the eval-mode rewrite first); a training-form node, kept
 * for Monte Carlo dropout ({@code ExportOptions.keepDropout}), as a RandomUniformLike mask.
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

  @Override public TfLowering tf() { return TfLowering.custom("StatelessRandomUniform mask"); }

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
