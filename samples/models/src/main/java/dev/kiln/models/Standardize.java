package dev.kiln.models;

import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;

/**
 * Input standardisation as the model's first step: {@code (x - mean) / std} with the training set's mean
 * and standard deviation over all its pixels (one pair, as for greyscale images). Being part of the
 * model, it is exported with it: the ONNX file takes the raw features, as the TF model does.
 */
public record Standardize(double mean, double std) {
  /** Checks the standard deviation. */
  public Standardize {
    if (!(std > 0) || !Double.isFinite(mean)) throw new KilnException("standardize: need a finite mean and std > 0, got " + mean + ", " + std);
  }

  /** The mean and (population) standard deviation of every element of the f32 {@code features}. */
  public static Standardize of(HostTensor features) {
    if (features.dtype() != DType.F32) throw new KilnException("standardize: features must be f32, got " + features.type());
    ByteBuffer b = features.buffer();
    long n = b.remaining() / 4;
    if (n == 0) throw new KilnException("standardize: no features");
    // NOTE: two passes in double: the one-pass sum-of-squares formula loses digits when std << mean.
    double sum = 0;
    for (int i = b.position(); i < b.limit(); i += 4) sum += b.getFloat(i);
    double mean = sum / n;
    double sq = 0;
    for (int i = b.position(); i < b.limit(); i += 4) {
      double d = b.getFloat(i) - mean;
      sq += d * d;
    }
    return new Standardize(mean, Math.sqrt(sq / n));
  }

  /** {@code (x - mean) / std}. */
  public Tensor<F32> apply(Tensor<F32> x) { return x.sub(mean).div(std); }
}
