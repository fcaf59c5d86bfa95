package dev.kiln.compiler.passes;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Add;
import dev.kiln.spec.ops.Constant;
import dev.kiln.spec.ops.Conv;
import dev.kiln.spec.ops.Div;
import dev.kiln.spec.ops.MatMul;
import dev.kiln.spec.ops.Mul;
import dev.kiln.spec.ops.Sub;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds constant affine preprocessing of a graph input into the first layer's weights and bias at export, so
 * ONNX Runtime runs one layer instead of {@code Sub}, {@code Div} and the layer (issue 22, point 4): the model
 * zoo's {@code Standardize}, {@code (x - m) / s}, in front of a linear layer becomes {@code x W' + b'} with
 * {@code W'[k, n] = W[k, n] / s_k} and {@code b'[n] = b[n] - sum_k (m_k / s_k) W[k, n]}.
 *
 * <p>The chain: a graph input, then {@code Sub} (or {@code Add}) of a constant, then {@code Div} (or {@code Mul})
 * by a constant, either step optional; the constants per tensor (one value) or per channel (the last axis in front
 * of {@code MatMul}, axis 1 in front of {@code Conv}). Folded only where exact: each intermediate value has one
 * reader and is no graph output; the layer's weight (and bias) are parameters read by that layer alone, so no
 * other use sees the new values;
 * <ul>
 *   <li>{@code MatMul(y, W)} with a 2-D W, followed by {@code Add} of a parameter bias [N]: always (with no bias,
 *   only when nothing is subtracted, since a new bias would be a new parameter);</li>
 *   <li>{@code Conv(y, W, b)}: only without padding, since a zero border of the standardised input is the value
 *   {@code m} of the raw one, which no weight change reproduces; per channel only for {@code group} 1.</li>
 * </ul>
 * Anything else is left as it is. Weights are computed in double and stored in the parameter's dtype (f32 or
 * f64), so the folded model differs from the unfolded one by float rounding only.
 */
public final class FoldInputAffine {
  private FoldInputAffine() {}

  /** The graph with every foldable chain folded (the same graph when there is none). */
  public static Graph run(Graph g) {
    Map<Value, List<Node>> readers = new HashMap<>();
    for (Node n : g.nodes()) for (Value v : n.inputs()) if (v != null) readers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
    Map<Value, HostTensor> constants = new HashMap<>();
    for (Node n : g.nodes()) if (n.op() instanceof Constant) constants.put(n.output(), n.attrs().getTensor("value"));
    Map<String, Parameter> params = new HashMap<>();
    for (Parameter p : g.parameters()) params.put(p.name(), p);

    List<Node> nodes = new ArrayList<>(g.nodes());
    boolean changed = false;
    for (Value input : g.inputs()) {
      Fold f = new Fold(g, readers, constants, params);
      if (f.match(input)) {
        f.apply(nodes);
        changed = true;
      }
    }
    if (!changed) return g;
    List<Parameter> newParams = new ArrayList<>();
    for (Parameter p : g.parameters()) newParams.add(params.get(p.name()));
    return DeadCodeElimination.run(g.with(newParams, nodes, g.outputs()));
  }

  /** One input's chain: what it subtracts and multiplies by, and the layer it feeds. */
  private static final class Fold {
    private final Graph g;
    private final Map<Value, List<Node>> readers;
    private final Map<Value, HostTensor> constants;
    private final Map<String, Parameter> params;
    private double[] shift = {0};  // y = (x - shift) * scale, per channel or one value
    private double[] scale = {1};
    private Value input;
    private Node layer;
    private Node biasAdd;  // MatMul's bias Add, or null

    Fold(Graph g, Map<Value, List<Node>> readers, Map<Value, HostTensor> constants, Map<String, Parameter> params) {
      this.g = g;
      this.readers = readers;
      this.constants = constants;
      this.params = params;
    }

    private HostTensor shiftConst;  // as written in the graph, resolved per channel once the layer is known
    private HostTensor scaleConst;
    private boolean negateShift;
    private boolean invertScale;

    boolean match(Value x) {
      input = x;
      Value v = x;
      Node n = onlyReader(v);
      if (n != null && (n.op() instanceof Sub || n.op() instanceof Add) && elementwiseOnConstant(n, v)) {
        shiftConst = constants.get(n.input(1));
        negateShift = n.op() instanceof Add;
        v = n.output();
        n = onlyReader(v);
      }
      if (n != null && (n.op() instanceof Div || n.op() instanceof Mul) && elementwiseOnConstant(n, v)) {
        scaleConst = constants.get(n.input(1));
        invertScale = n.op() instanceof Div;
        v = n.output();
        n = onlyReader(v);
      }
      if (v == x || n == null || n.input(0) != v) return false;
      layer = n;
      int axis = n.op() instanceof MatMul ? x.type().rank() - 1 : 1;
      if (!(n.op() instanceof MatMul || n.op() instanceof Conv) || !resolve(axis)) return false;
      return n.op() instanceof MatMul ? matchMatMul() : matchConv();
    }

    /** {@code n} is {@code v op constant} with a result of {@code v}'s own type (no broadcast widening it). */
    private boolean elementwiseOnConstant(Node n, Value v) {
      return n.input(0) == v && constants.containsKey(n.input(1)) && n.output().type().equals(v.type());
    }

    /** Reads the constants as one value or one per channel on {@code axis} of the input; false when they are neither. */
    private boolean resolve(int axis) {
      double[] sh = shiftConst == null ? new double[] {0} : perChannel(shiftConst, axis);
      double[] sc = scaleConst == null ? new double[] {1} : perChannel(scaleConst, axis);
      if (sh == null || sc == null) return false;
      for (int i = 0; i < sh.length; i++) sh[i] = negateShift ? -sh[i] : sh[i];
      for (int i = 0; i < sc.length; i++) sc[i] = invertScale ? 1 / sc[i] : sc[i];
      for (double d : sh) if (!Double.isFinite(d)) return false;
      for (double d : sc) if (!Double.isFinite(d)) return false;
      shift = sh;
      scale = sc;
      return true;
    }

    /**
     * The constant's values when it holds one value, or one per channel along {@code axis} of the input (its
     * shape, aligned to the input's from the right, is 1 on every other axis); null otherwise.
     */
    private double[] perChannel(HostTensor t, int axis) {
      if (t.dtype() != DType.F32 && t.dtype() != DType.F64) return null;
      if (t.size() == 1) return new double[] {t.toDoubles()[0]};
      long[] s = t.shape();
      int rank = input.type().rank();
      for (int i = 0; i < s.length; i++) {
        int inputAxis = rank - s.length + i;
        if (s[i] != 1 && inputAxis != axis) return null;
      }
      return t.toDoubles();
    }

    private boolean matchMatMul() {
      Parameter w = ownParameter(layer.input(1), layer);
      if (w == null || w.initial().rank() != 2 || !channelsFit(w.initial().shape()[0])) return false;
      Node add = onlyReader(layer.output());
      if (add != null && add.op() instanceof Add) {
        Value b = add.input(0) == layer.output() ? add.input(1) : add.input(0);
        Parameter bias = ownParameter(b, add);
        if (bias != null && bias.initial().size() == w.initial().shape()[1] && bias.initial().rank() == 1) {
          biasAdd = add;
          return true;
        }
      }
      return allZero(shift);
    }

    private boolean matchConv() {
      long[] pads = layer.attrs().has("pads") ? layer.attrs().getLongs("pads") : new long[0];
      for (long p : pads) if (p != 0) return false;
      Parameter w = ownParameter(layer.input(1), layer);
      if (w == null) return false;
      boolean perTensor = shift.length == 1 && scale.length == 1;
      if (!perTensor && (layer.attrs().has("group") && layer.attrs().getLong("group") != 1 || !channelsFit(w.initial().shape()[1]))) return false;
      Value b = layer.inputs().size() > 2 ? layer.input(2) : null;
      if (b == null) return allZero(shift);
      return ownParameter(b, layer) != null;
    }

    /** Rewrites {@code nodes}: the layer reads the raw input; its weight and bias take the folded values. */
    void apply(List<Node> nodes) {
      Parameter wp = params.get(layer.input(1).name());
      HostTensor w = wp.initial();
      long[] ws = w.shape();
      double[] wv = w.toDoubles();
      boolean conv = layer.op() instanceof Conv;
      int outs = (int) (conv ? ws[0] : ws[1]);
      int ins = (int) (conv ? ws[1] : ws[0]);
      int window = conv ? wv.length / (outs * ins) : 1;
      double[] shiftTimesW = new double[outs];  // sum over the layer's inputs of shift * scale * W, per output
      for (int i = 0; i < wv.length; i++) {
        int o = conv ? i / (ins * window) : i % outs;
        int c = conv ? (i / window) % ins : i / outs;
        double r = pick(scale, c);
        shiftTimesW[o] += pick(shift, c) * r * wv[i];
        wv[i] *= r;
      }
      params.put(wp.name(), wp.withInitial(HostTensor.fromDoubles(w.dtype(), wv, ws)));
      Value bias = conv ? (layer.inputs().size() > 2 ? layer.input(2) : null)
          : biasAdd == null ? null : (biasAdd.input(0) == layer.output() ? biasAdd.input(1) : biasAdd.input(0));
      if (bias != null) {
        Parameter bp = params.get(bias.name());
        double[] bv = bp.initial().toDoubles();
        for (int o = 0; o < bv.length; o++) bv[o] -= shiftTimesW[o];
        params.put(bp.name(), bp.withInitial(HostTensor.fromDoubles(bp.initial().dtype(), bv, bp.initial().shape())));
      }
      List<Value> in = new ArrayList<>(layer.inputs());
      in.set(0, input);
      int at = nodes.indexOf(layer);
      nodes.set(at, new Node(layer.op(), in, layer.attrs(), layer.outputs(), layer.scope(), layer.location()));
    }

    /** Per-channel constants must have one value per input channel of the layer's weight. */
    private boolean channelsFit(long channels) {
      return (shift.length == 1 || shift.length == channels) && (scale.length == 1 || scale.length == channels);
    }

    /** {@code v} as a parameter of a float dtype that only {@code reader} reads, or null. */
    private Parameter ownParameter(Value v, Node reader) {
      if (v == null || v.kind() != Value.Kind.PARAMETER || g.outputs().contains(v)) return null;
      Parameter p = params.get(v.name());
      if (p == null || p.initial() == null || (p.initial().dtype() != DType.F32 && p.initial().dtype() != DType.F64)) return null;
      List<Node> r = readers.get(v);
      return r != null && r.size() == 1 && r.get(0) == reader ? p : null;
    }

    private Node onlyReader(Value v) {
      List<Node> r = readers.get(v);
      return r == null || r.size() != 1 || g.outputs().contains(v) ? null : r.get(0);
    }

    private static double pick(double[] c, int channel) { return c.length == 1 ? c[0] : c[channel]; }

    private static boolean allZero(double[] c) {
      for (double v : c) if (v != 0) return false;
      return true;
    }
  }
}
