package dev.kiln.runtime.tf.ops;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow lowerings of training-form batch norm and its gradient on TF's fused kernels
 * (FusedBatchNormV3 / FusedBatchNormGradV3, data_format NHWC, is_training). Rank-4 values are read and
 * written channels-last ({@link TfEmitter#inputChannelsLast}); other ranks are viewed as
 * [values, 1, 1, C] (channels moved last first), which gives the same per-channel statistics.
 * NOTE: FusedBatchNormV3's {@code batch_variance} output is Bessel-corrected; {@code reserve_space_2}
 * holds the biased variance the IR op defines (and the gradient kernel expects).
 */
public final class TfBatchNorm {
  private TfBatchNorm() {}

  /** BatchNormTraining: (y, batch mean, biased batch variance). */
  public static List<Object> forward(TfEmitter e) {
    TensorType x = e.node().input(0).type();
    Object x4 = toNhwc(e, 0, x);
    Object empty = e.constant(HostTensor.ofFloats(new float[0], 0));
    List<Object> o = e.op("FusedBatchNormV3", List.of(x4, e.input(1), e.input(2), empty, empty), attrs(e), 6);
    return List.of(fromNhwc(e, o.get(0), 0, x), o.get(1), o.get(4));
  }

  /** BatchNormTrainingGrad: (dx, dscale, dbias). */
  public static List<Object> gradient(TfEmitter e) {
    TensorType x = e.node().input(1).type();
    Object gy4 = toNhwc(e, 0, x);
    Object x4 = toNhwc(e, 1, x);
    // The CPU kernels recompute from the saved mean and variance; reserve_space_3 is unused there.
    Object empty = e.constant(HostTensor.ofFloats(new float[0], 0));
    List<Object> o = e.op("FusedBatchNormGradV3", List.of(gy4, x4, e.input(2), e.input(3), e.input(4), empty), attrs(e), 5);
    return List.of(fromNhwc(e, o.get(0), 1, x), o.get(1), o.get(2));
  }

  private static Map<String, Object> attrs(TfEmitter e) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("epsilon", e.node().attrs().getDouble("epsilon"));
    a.put("data_format", "NHWC");
    a.put("is_training", Boolean.TRUE);
    return a;
  }

  private static long channels(TensorType x) {
    if (!x.shape().dim(1).isStatic()) throw new UnsupportedOpException("batch norm over a dynamic channel count has no fused TF form");
    return x.shape().dim(1).size();
  }

  /** Input {@code i} (typed like {@code x}) as a 4-D channels-last tensor. */
  private static Object toNhwc(TfEmitter e, int i, TensorType x) {
    if (x.rank() == 4) return e.inputChannelsLast(i);
    Object last = x.rank() == 2 ? e.input(i) : TfShapes.transpose(e, e.input(i), TfConv.toLast(x.rank()));
    return e.op("Reshape", List.of(last, TfShapes.longs(e, -1, 1, 1, channels(x))), Map.of(), 1).get(0);
  }

  /** The inverse of {@link #toNhwc} for a result shaped like input {@code i}. */
  private static Object fromNhwc(TfEmitter e, Object y4, int i, TensorType x) {
    if (x.rank() == 4) return e.channelsLast(y4);
    if (x.rank() == 2) return e.op("Reshape", List.of(y4, TfShapes.longs(e, -1, channels(x))), Map.of(), 1).get(0);
    long[] perm = TfConv.toLast(x.rank());
    Object lastShape = e.op("GatherV2", List.of(TfShapes.shapeOf(e, e.input(i)), TfShapes.longs(e, perm),
        e.constant(HostTensor.ofInts(new int[] {0}))), Map.of(), 1).get(0);
    Object shaped = e.op("Reshape", List.of(y4, lastShape), Map.of(), 1).get(0);
    return TfShapes.transpose(e, shaped, TfConv.fromLast(x.rank()));
  }
}
