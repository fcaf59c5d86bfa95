package dev.kiln.runtime.tf;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Output;

/**
 * The TF handles of one lowering's IR values, in two layouts. The IR is NCHW (ONNX's convention); TF's CPU
 * window kernels take NHWC only. A rank-4 value made by a window op exists only channels-last ([N, H, W, C])
 * until some consumer needs [N, C, H, W]; {@link #canonical} and {@link #channelsLast} make the missing form
 * by one transpose, at most once per value, so a chain of window ops and the pointwise ops between them
 * runs with no transposes in between. System property {@code kiln.tf.channelsLast=false} (read at each
 * lowering) turns the layout tracking off: every window op then transposes in and out.
 */
final class TfValueForms {
  /** Axis permutations [N, C, H, W] to [N, H, W, C] and back. */
  private static final long[] CHANNELS_LAST = {0, 2, 3, 1};
  private static final long[] CHANNELS_FIRST = {0, 3, 1, 2};
  /** Broadcast operands up to this many elements are permuted for a channels-last pointwise op. */
  private static final long SMALL_OPERAND = 1 << 16;

  private final TfOpBuilder ops;
  private final String graphName;
  private final boolean channelsLastLayout = !"false".equalsIgnoreCase(System.getProperty("kiln.tf.channelsLast"));
  private final Map<Value, Output<?>> canonical = new IdentityHashMap<>();
  private final Map<Value, Output<?>> last = new IdentityHashMap<>();
  /** Lower-rank operands of channels-last pointwise ops, reshaped to rank 4 and permuted. */
  private final Map<Value, Output<?>> broadcastOperands = new IdentityHashMap<>();

  TfValueForms(TfOpBuilder ops, String graphName) {
    this.ops = ops;
    this.graphName = graphName;
  }

  /** Whether layouts are tracked (else window lowerings transpose in and out themselves). */
  boolean channelsLastLayout() { return channelsLastLayout; }

  /** Records {@code v}'s canonical (IR layout) handle. */
  void put(Value v, Output<?> h) { canonical.put(v, h); }

  /** Records {@code v}'s channels-last handle (a rank-4 value computed in NHWC). */
  void putChannelsLast(Value v, Output<?> h) { last.put(v, h); }

  /** Whether {@code v} exists only channels-last (reading it canonically would cost a transpose). */
  boolean onlyChannelsLast(Value v) { return last.containsKey(v) && !canonical.containsKey(v); }

  /** {@code v} in the IR's layout. */
  Output<?> canonical(Value v) {
    Output<?> h = canonical.get(v);
    if (h != null) return h;
    Output<?> nhwc = last.get(v);
    if (nhwc == null) throw new KilnException("value '" + v.name() + "' is used before it is computed in graph " + graphName);
    h = transpose(nhwc, CHANNELS_FIRST, v.name() + "/nchw");
    canonical.put(v, h);
    return h;
  }

  /** A rank-4 {@code v} channels-last. */
  Output<?> channelsLast(Value v) {
    Output<?> h = last.get(v);
    if (h != null) return h;
    h = transpose(canonical(v), CHANNELS_LAST, v.name() + "/nhwc");
    last.put(v, h);
    return h;
  }

  /**
   * Whether a pointwise node runs on its inputs' channels-last forms: every input with the output's
   * (rank-4) shape has that form already and some have no other (so the canonical layout would cost a
   * transpose, and staying channels-last lets the next window op skip one); the other inputs broadcast
   * (scalars, per-channel [1, C, 1, 1] or [C, 1, 1] values as batch norm uses) and are cheap to permute.
   */
  boolean runsChannelsLast(Node n) {
    if (!channelsLastLayout || !n.op().pointwise() || n.outputs().size() != 1 || n.output().type().rank() != 4) return false;
    Shape out = n.output().type().shape();
    boolean someOnlyLast = false;
    for (Value v : n.inputs()) {
      if (v == null) return false;
      if (v.type().shape().equals(out)) {
        if (!last.containsKey(v)) return false;
        someOnlyLast |= !canonical.containsKey(v);
      } else if (!v.type().shape().isStatic() || v.type().rank() > 4 || elements(v.type()) > SMALL_OPERAND) {
        return false;  // a broadcast operand as big as an activation: not worth a transpose
      }
    }
    return someOnlyLast;
  }

  /**
   * A pointwise node's input channels-last: rank 4 through {@link #channelsLast}, a scalar as it is, a
   * lower-rank broadcast operand (right-aligned, as in [C, 1, 1]) reshaped to rank 4 first.
   */
  Output<?> channelsLastOperand(Value v) {
    int r = v.type().rank();
    if (r == 0) return canonical(v);
    if (r == 4) return channelsLast(v);
    Output<?> h = broadcastOperands.get(v);
    if (h != null) return h;
    long[] dims = new long[4];
    Arrays.fill(dims, 1);
    for (int i = 0; i < r; i++) dims[4 - r + i] = v.type().shape().dim(i).size();
    Output<?> shape = constant(HostTensor.ofLongs(dims, 4), v.name() + "/rank4/shape");
    Output<?> r4 = ops.op("Reshape", v.name() + "/rank4", List.of(canonical(v), shape), Map.of(), null).get(0);
    h = transpose(r4, CHANNELS_LAST, v.name() + "/nhwc");
    broadcastOperands.put(v, h);
    return h;
  }

  /** The type of a rank-4 [N, C, H, W] value held channels-last. */
  static TensorType toChannelsLast(TensorType t) {
    Dim[] d = new Dim[4];
    for (int i = 0; i < 4; i++) d[i] = t.shape().dim((int) CHANNELS_LAST[i]);
    return new TensorType(t.dtype(), Shape.of(d));
  }

  private static long elements(TensorType t) {
    long n = 1;
    for (int i = 0; i < t.rank(); i++) n *= t.shape().dim(i).size();
    return n;
  }

  private Output<?> transpose(Output<?> x, long[] perm, String nameHint) {
    Output<?> p = constant(HostTensor.ofLongs(perm, perm.length), nameHint + "/perm");
    return ops.op("Transpose", nameHint, List.of(x, p), Map.of(), null).get(0);
  }

  private Output<?> constant(HostTensor value, String nameHint) {
    return ops.op("Const", nameHint, List.of(), Map.of("value", value, "dtype", value.dtype()), null).get(0);
  }
}
