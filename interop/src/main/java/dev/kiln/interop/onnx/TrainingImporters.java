package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optimizers of ONNX's {@code ai.onnx.preview.training} domain (version 1): {@code Adagrad}, {@code Momentum}
 * (standard and Nesterov) and {@code Adam}, each over n tensors at once (inputs R, T, then n X, n G and the
 * n-tensor state groups; outputs the n new X then each new state group). They are element-wise formulas, so each
 * is composed here from IR primitives exactly as the ONNX operator documents spell them (they re-export as those
 * primitives). R is the learning rate (f32 scalar), T the i64 update count.
 */
final class TrainingImporters {
  /** The ONNX domain of these ops. */
  static final String DOMAIN = "ai.onnx.preview.training";
  /** The default-domain opset the training domain (version 1) came with, for models that import it alone. */
  static final int DEFAULT_OPSET = 12;

  private TrainingImporters() {}

  static Map<String, NodeImporter> all() {
    Map<String, NodeImporter> m = new TreeMap<>();
    m.put("Adagrad", TrainingImporters::adagrad);
    m.put("Momentum", TrainingImporters::momentum);
    m.put("Adam", TrainingImporters::adam);
    return m;
  }

  /** The number n of optimised tensors: (inputs - 2) / groups, checked. */
  private static int tensors(ImportContext c, int groups) {
    int rest = c.inputCount() - 2;
    if (rest <= 0 || rest % groups != 0) {
      throw c.fail("takes R, T and " + groups + " groups of equally many tensors (X, G, state), got " + c.inputCount() + " inputs");
    }
    int n = rest / groups;
    if (c.node().getOutputCount() > n * (groups - 1)) throw c.fail("has " + c.node().getOutputCount() + " outputs, at most " + n * (groups - 1));
    for (int i = 0; i < c.inputCount(); i++) if (!c.hasInput(i)) throw c.fail("input " + i + " is required");
    checkScalar(c, 0, "R", null);
    checkScalar(c, 1, "T", DType.I64);
    return n;
  }

  private static void checkScalar(ImportContext c, int i, String name, DType dtype) {
    var t = ImportContext.typeOf(c.in(i));
    if (t.shape().rank() != 0 && !(t.shape().rank() == 1 && t.shape().dim(0).is(1))) {
      throw c.fail("input " + i + " (" + name + ") must be a scalar, got " + t.shape());
    }
    if (dtype != null && t.dtype() != dtype) throw c.fail("input " + i + " (" + name + ") must be " + dtype + ", got " + t.dtype());
  }

  private static HostTensor scalar(Object like, double v) {
    return HostTensor.fromDoubles(ImportContext.typeOf(like).dtype(), new double[] {v});
  }

  /** T as a float scalar of x's dtype, and whether T > 0. */
  private static Object countAs(OpTarget<Object> s, ImportContext c, Object like) {
    return Ops.cast(s, c.in(1), ImportContext.typeOf(like).dtype());
  }

  private static Object positive(OpTarget<Object> s, ImportContext c) {
    return Ops.greater(s, c.in(1), HostTensor.fromDoubles(DType.I64, new double[] {0}));
  }

  /** G + norm_coefficient * X. */
  private static Object regularized(OpTarget<Object> s, Object x, Object g, double norm) {
    return norm == 0 ? g : Ops.add(s, Ops.mul(s, scalar(x, norm), x), g);
  }

  /**
   * Adagrad: r = R / (1 + T * decay_factor); G' = norm_coefficient * X + G; H_new = H + G'^2;
   * X_new = X - r * G' / (sqrt(H_new) + epsilon). Outputs: n X_new, n H_new.
   */
  private static void adagrad(NodeProto n, ImportContext c) {
    c.onlyAttrs("decay_factor", "epsilon", "norm_coefficient");
    int k = tensors(c, 3);
    double decay = c.attrFloat("decay_factor", 0);
    double eps = c.attrFloat("epsilon", 0);
    double norm = c.attrFloat("norm_coefficient", 0);
    OpTarget<Object> s = c.step();
    for (int i = 0; i < k; i++) {
      Object x = c.in(2 + i);
      Object g = regularized(s, x, c.in(2 + k + i), norm);
      Object h = c.in(2 + 2 * k + i);
      Object r = Ops.div(s, c.in(0), Ops.add(s, scalar(x, 1), Ops.mul(s, countAs(s, c, x), scalar(x, decay))));
      Object hNew = Ops.add(s, h, Ops.mul(s, g, g));
      Object denom = Ops.add(s, Ops.sqrt(s, hNew), scalar(x, eps));
      c.define(i, Ops.sub(s, x, Ops.div(s, Ops.mul(s, r, g), denom)));
      c.define(k + i, hNew);
    }
  }

  /**
   * Momentum: G' = norm_coefficient * X + G; beta' = beta when T > 0, else 1; V_new = alpha * V + beta' * G';
   * standard: X_new = X - R * V_new; nesterov: X_new = X - R * (G' + alpha * V_new). Outputs: n X_new, n V_new.
   */
  private static void momentum(NodeProto n, ImportContext c) {
    c.onlyAttrs("alpha", "beta", "mode", "norm_coefficient");
    for (String a : new String[] {"alpha", "beta", "mode", "norm_coefficient"}) {
      if (c.attr(a) == null) throw c.fail("attribute '" + a + "' is required");
    }
    int k = tensors(c, 3);
    double alpha = c.attrFloat("alpha", 0);
    double beta = c.attrFloat("beta", 0);
    double norm = c.attrFloat("norm_coefficient", 0);
    String mode = c.attrString("mode", "standard");
    if (!mode.equals("standard") && !mode.equals("nesterov")) throw c.fail("mode must be 'standard' or 'nesterov', got '" + mode + "'");
    OpTarget<Object> s = c.step();
    for (int i = 0; i < k; i++) {
      Object x = c.in(2 + i);
      Object g = regularized(s, x, c.in(2 + k + i), norm);
      Object v = c.in(2 + 2 * k + i);
      Object betaT = Ops.where(s, positive(s, c), scalar(x, beta), scalar(x, 1));
      Object vNew = Ops.add(s, Ops.mul(s, scalar(x, alpha), v), Ops.mul(s, betaT, g));
      Object step = mode.equals("standard") ? vNew : Ops.add(s, g, Ops.mul(s, scalar(x, alpha), vNew));
      c.define(i, Ops.sub(s, x, Ops.mul(s, c.in(0), step)));
      c.define(k + i, vNew);
    }
  }

  /**
   * Adam: G' = norm_coefficient * X + G; V_new = alpha * V + (1 - alpha) * G'; H_new = beta * H + (1 - beta) * G'^2;
   * R' = R * sqrt(1 - beta^T) / (1 - alpha^T) when T > 0, else R; X_new = (1 - norm_coefficient_post)
   * (X - R' * V_new / (sqrt(H_new) + epsilon)). Outputs: n X_new, n V_new, n H_new.
   */
  private static void adam(NodeProto n, ImportContext c) {
    c.onlyAttrs("alpha", "beta", "epsilon", "norm_coefficient", "norm_coefficient_post");
    int k = tensors(c, 4);
    double alpha = c.attrFloat("alpha", 0.9);
    double beta = c.attrFloat("beta", 0.999);
    double eps = c.attrFloat("epsilon", 1e-6);
    double norm = c.attrFloat("norm_coefficient", 0);
    double post = c.attrFloat("norm_coefficient_post", 0);
    OpTarget<Object> s = c.step();
    for (int i = 0; i < k; i++) {
      Object x = c.in(2 + i);
      Object g = regularized(s, x, c.in(2 + k + i), norm);
      Object v = c.in(2 + 2 * k + i);
      Object h = c.in(2 + 3 * k + i);
      Object vNew = Ops.add(s, Ops.mul(s, scalar(x, alpha), v), Ops.mul(s, scalar(x, 1 - alpha), g));
      Object hNew = Ops.add(s, Ops.mul(s, scalar(x, beta), h), Ops.mul(s, scalar(x, 1 - beta), Ops.mul(s, g, g)));
      Object t = countAs(s, c, x);
      Object corrected = Ops.div(s, Ops.mul(s, c.in(0), Ops.sqrt(s, Ops.sub(s, scalar(x, 1), Ops.pow(s, scalar(x, beta), t)))),
          Ops.sub(s, scalar(x, 1), Ops.pow(s, scalar(x, alpha), t)));
      Object r = Ops.where(s, positive(s, c), corrected, c.in(0));
      Object denom = Ops.add(s, Ops.sqrt(s, hNew), scalar(x, eps));
      Object xNew = Ops.sub(s, x, Ops.mul(s, r, Ops.div(s, vNew, denom)));
      c.define(i, post == 0 ? xNew : Ops.mul(s, scalar(x, 1 - post), xNew));
      c.define(k + i, vNew);
      c.define(2 * k + i, hNew);
    }
  }
}
