package dev.kiln.spec.ops;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * y = independent draws from the uniform distribution on [low, high), shaped like x (x's values are not read), of
 * {@code dtype}. ONNX RandomUniformLike-1. With {@code seeded}, the draws are a pure function of {@code seed} and the
 * shape on each back end (TF: {@code StatelessRandomUniform} keyed by [seed, 0]; ONNX Runtime: the node's seed, one
 * generator per session), so the same seed gives the same values; the two back ends have different generators, so
 * they agree in distribution, not value by value. Unseeded, each run draws anew (TF {@code RandomUniform}).
 * NOTE: no folder: the op is random, so nothing may evaluate it ahead of time.
 */
public final class RandomUniformLike extends Op {
  @Override public String summary() { return "y = uniform draws on [low, high) shaped like x (seeded: a pure function of seed and shape)"; }

  @Override public Signature signature() {
    return Signature.inputs("x")
        .required("dtype", AttrKind.DTYPE, "the output dtype (floating)")
        .attr("low", AttrKind.FLOAT, 0.0, "lower bound, included")
        .attr("high", AttrKind.FLOAT, 1.0, "upper bound, excluded")
        .attr("seeded", AttrKind.BOOL, false, "whether seed fixes the draws; false: new draws every run")
        .attr("seed", AttrKind.FLOAT, 0.0, "the random key when seeded (ONNX's float seed)");
  }

  @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs a) {
    var dtype = a.getDType("dtype");
    if (!dtype.isFloating()) throw new ShapeException("attribute dtype must be a floating type, got " + dtype);
    double low = a.getDouble("low");
    double high = a.getDouble("high");
    if (!(low < high)) throw new ShapeException("needs low < high, got low " + low + ", high " + high);
    return List.of(new TensorType(dtype, in.get(0).shape()));
  }

  @Override public OnnxLowering onnx() { return Onnx.forms(Onnx.custom("RandomUniformLike", 1, RandomUniformLike::emitOnnx)); }

  private static void emitOnnx(OnnxEmitter e) {
    Attrs a = e.node().attrs();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("dtype", (long) a.getDType("dtype").onnxCode());
    attrs.put("low", a.getDouble("low"));
    attrs.put("high", a.getDouble("high"));
    if (a.getBool("seeded")) attrs.put("seed", a.getDouble("seed"));
    e.emit("RandomUniformLike", List.of(e.input(0)), List.of(e.output(0)), attrs);
  }

  @Override public TfLowering tf() { return TfLowering.custom("StatelessRandomUniform / RandomUniform"); }

  /** The draws do not depend on x's values. */
  @Override public Vjp vjp() { return Vjp.NOT_DIFFERENTIABLE; }
}
