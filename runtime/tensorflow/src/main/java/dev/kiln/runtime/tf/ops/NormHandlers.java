package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ops.InstanceNormalization;
import dev.kiln.spec.ops.LayerNormalization;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * TF handlers of inference batch norm, layer norm and dropout (the training-form batch norm runs TF's fused kernels,
 * {@link TfBatchNorm}).
 */
final class NormHandlers {
  private NormHandlers() {}

  static List<Object> batchNormalization(TfEmitter e) {
    int rank = e.node().input(0).type().rank();
    DType d = e.node().input(0).type().dtype();
    Object eps = e.constant(HostTensor.scalar(d, e.node().attrs().getDouble("epsilon")));
    // NOTE: channels-last input (after a conv): the [C] vectors broadcast along the last axis as they are.
    boolean last = rank == 4 && e.onlyChannelsLast(0);
    Object[] p = new Object[5];
    for (int i = 1; i < 5; i++) p[i] = last ? e.input(i) : perChannel(e, e.input(i), rank);
    Object inv = e.op("Rsqrt", List.of(e.op("AddV2", List.of(p[4], eps), Map.of(), 1).get(0)), Map.of(), 1).get(0);
    Object k = e.op("Mul", List.of(p[1], inv), Map.of(), 1).get(0);
    Object c = e.op("Sub", List.of(last ? e.inputChannelsLast(0) : e.input(0), p[3]), Map.of(), 1).get(0);
    Object y = e.op("Mul", List.of(c, k), Map.of(), 1).get(0);
    Object out = e.op("AddV2", List.of(y, p[2]), Map.of(), 1).get(0);
    return List.of(last ? e.channelsLast(out) : out);
  }

  /** A [C] vector reshaped to [C, 1, ...] (rank - 1 axes) to broadcast over [N, C, ...]. */
  private static Object perChannel(TfEmitter e, Object v, int rank) {
    long[] shape = new long[rank - 1];
    Arrays.fill(shape, 1);
    shape[0] = -1;
    return e.op("Reshape", List.of(v, e.constant(HostTensor.ofLongs(shape, shape.length))), Map.of(), 1).get(0);
  }

  /** The same arithmetic as the decomposition, in TF ops: Mean, Sub, Mul, Rsqrt, AddV2 (and Cast for the stats). */
  static List<Object> layerNormalization(TfEmitter e) {
    DType d = e.node().input(0).type().dtype();
    long[] normalised = LayerNormalization.axes(e.node());
    Object axes = e.constant(HostTensor.ofLongs(normalised, normalised.length));
    Map<String, Object> keep = Map.of("keep_dims", Boolean.TRUE);
    Object x = e.input(0);
    Object m = e.op("Mean", List.of(x, axes), keep, 1).get(0);
    Object c = e.op("Sub", List.of(x, m), Map.of(), 1).get(0);
    Object var = e.op("Mean", List.of(e.op("Mul", List.of(c, c), Map.of(), 1).get(0), axes), keep, 1).get(0);
    Object eps = e.constant(HostTensor.scalar(d, e.node().attrs().getDouble("epsilon")));
    Object inv = e.op("Rsqrt", List.of(e.op("AddV2", List.of(var, eps), Map.of(), 1).get(0)), Map.of(), 1).get(0);
    Object y = e.op("Mul", List.of(e.op("Mul", List.of(c, inv), Map.of(), 1).get(0), e.input(1)), Map.of(), 1).get(0);
    if (e.node().inputs().size() > 2 && e.node().input(2) != null) y = e.op("AddV2", List.of(y, e.input(2)), Map.of(), 1).get(0);
    if (!e.node().attrs().getBool("stats")) return List.of(y);
    if (d == DType.F32) return List.of(y, m, inv);
    Map<String, Object> toF32 = Map.of("DstT", DType.F32);
    return List.of(y, e.op("Cast", List.of(m), toF32, 1).get(0), e.op("Cast", List.of(inv), toF32, 1).get(0));
  }

  /**
   * The inference form: Identity. The training form never reaches a handler: it runs its decomposition (the
   * counter-based hash mask of {@code DropoutMask}, the same on the ONNX Runtime back end; {@code Dropout.tfNative}).
   */
  static List<Object> dropout(TfEmitter e) {
    return e.op("Identity", List.of(e.input(0)), Map.of(), 1);
  }

  /**
   * InstanceNormalization: Mean, Sub, Mul, AddV2, Sqrt, RealDiv (and Reshape of the per-channel vectors), the
   * op's decomposition in TF ops. A rank-4 input held channels-last (after a conv) is normalised over axes 1, 2 of
   * [N, H, W, C], where the [C] vectors broadcast as they are, and the result stays channels-last.
   */
  static List<Object> instanceNormalization(TfEmitter e) {
    int rank = e.node().input(0).type().rank();
    DType dt = e.node().input(0).type().dtype();
    boolean last = rank == 4 && e.onlyChannelsLast(0);
    long[] axes = last ? new long[] {1, 2} : InstanceNormalization.spatialAxes(rank);
    Object ax = e.constant(HostTensor.ofLongs(axes, axes.length));
    Map<String, Object> keep = Map.of("keep_dims", Boolean.TRUE);
    Object x = last ? e.inputChannelsLast(0) : e.input(0);
    Object d = binary(e, "Sub", x, e.op("Mean", List.of(x, ax), keep, 1).get(0));
    Object var = e.op("Mean", List.of(binary(e, "Mul", d, d), ax), keep, 1).get(0);
    Object eps = e.constant(HostTensor.scalar(dt, e.node().attrs().getDouble("epsilon")));
    Object norm = binary(e, "RealDiv", d, e.op("Sqrt", List.of(binary(e, "AddV2", var, eps)), Map.of(), 1).get(0));
    Object scale = e.input(1);
    Object bias = e.input(2);
    if (!last) {
      long[] shape = InstanceNormalization.perChannelShape(rank);
      Object s = e.constant(HostTensor.ofLongs(shape, shape.length));
      scale = e.op("Reshape", List.of(scale, s), Map.of(), 1).get(0);
      bias = e.op("Reshape", List.of(bias, s), Map.of(), 1).get(0);
    }
    Object y = binary(e, "AddV2", binary(e, "Mul", norm, scale), bias);
    return List.of(last ? e.channelsLast(y) : y);
  }

  private static Object binary(TfEmitter e, String op, Object a, Object b) { return e.op(op, List.of(a, b), Map.of(), 1).get(0); }
}
