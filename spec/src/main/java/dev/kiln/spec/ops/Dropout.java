package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
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
 * ONNX: the inference form only, as Identity (ONNX Dropout-13 without training_mode is the identity); the
 * exporter runs the eval-mode rewrite first, so a training-form node never reaches ONNX.
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

  private static void emitOnnx(OnnxEmitter e) {
    if (e.node().attrs().getBool("training")) {
      throw new KilnException("training-form Dropout cannot be exported; run the eval-mode rewrite (EvalMode) first");
    }
    e.emit("Identity", List.of(e.input(0)), List.of(e.output(0)), Map.of());
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
