package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An f32 image batch viewed as N x C planes of H x W (C = 1 for rank 3), for {@link Augment}. */
final class ImageBatch {
  final int n;
  final int c;
  final int h;
  final int w;
  final long[] shape;
  final float[] data;

  private ImageBatch(long[] shape, float[] data) {
    this.shape = shape;
    this.data = data;
    int r = shape.length;
    this.n = (int) shape[0];
    this.h = (int) shape[r - 2];
    this.w = (int) shape[r - 1];
    this.c = data.length / Math.max(1, n * h * w);
  }

  /** The batch's features as images; {@code op} names the augmentation in errors. */
  static ImageBatch of(HostTensor f, String op) {
    if (f.dtype() != DType.F32 || f.rank() < 3) {
      throw new KilnException(op + " needs f32 image features [N, C, H, W] or [N, H, W], found " + f.type());
    }
    return new ImageBatch(f.shape(), floats(f));
  }

  /** New pixels in this batch's shape. */
  HostTensor tensor(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return HostTensor.ofBuffer(DType.F32, shape, b);
  }

  /** The f32 elements of a tensor, copied. */
  static float[] floats(HostTensor t) {
    float[] v = new float[Math.toIntExact(t.size())];
    t.buffer().asFloatBuffer().get(v);
    return v;
  }
}
