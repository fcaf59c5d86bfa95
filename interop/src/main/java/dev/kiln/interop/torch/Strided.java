package dev.kiln.interop.torch;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.util.Arrays;

/** Copies a strided view of a storage (PyTorch's size, stride and storage offset) into a dense {@link HostTensor}. */
final class Strided {
  private Strided() {}

  static HostTensor materialise(StorageRef s, long offset, long[] size, long[] stride, boolean bigEndian, long budget) {
    if (size.length != stride.length) {
      throw new ModelFileException("tensor in storage " + s.key() + " has size " + Arrays.toString(size) + " but stride " + Arrays.toString(stride));
    }
    long numel;
    try {
      numel = HostTensor.count(size);
    } catch (RuntimeException e) {
      throw new ModelFileException("tensor in storage " + s.key() + " has an invalid size " + Arrays.toString(size) + ": " + e.getMessage());
    }
    if (offset < 0) throw new ModelFileException("tensor in storage " + s.key() + " has a negative storage offset " + offset);
    // The furthest element the view touches must lie inside the storage; checked before allocating.
    long last = offset;
    for (int i = 0; i < size.length; i++) {
      if (stride[i] < 0) throw new ModelFileException("tensor in storage " + s.key() + " has a negative stride " + Arrays.toString(stride));
      if (size[i] > 0) last = addExact(last, mulExact(size[i] - 1, stride[i], s), s);
    }
    if (numel > 0 && last >= s.numel()) {
      throw new ModelFileException("tensor of size " + Arrays.toString(size) + " stride " + Arrays.toString(stride) + " offset " + offset
          + " reaches element " + last + " but storage " + s.key() + " holds only " + s.numel());
    }
    // NOTE: a view with zero strides could be far larger than its storage; refuse it rather than
    // allocate beyond what the file holds.
    if (numel > s.numel()) {
      throw new ModelFileException("tensor of size " + Arrays.toString(size) + " has more elements (" + numel + ") than its storage " + s.key() + " (" + s.numel() + ")");
    }
    int w = s.dtype().byteSize();
    if (numel * w > budget) {
      throw new ModelFileException("tensors viewing storage " + s.key() + " would take more memory in all than the file's size allows;"
          + " a state dict does not view one storage that many times");
    }
    byte[] src = s.bytes();
    byte[] out = new byte[Math.toIntExact(numel * w)];
    long[] idx = new long[size.length];
    for (long n = 0, pos = offset; n < numel; n++) {
      int from = Math.toIntExact(pos * w);
      int to = (int) (n * w);
      if (bigEndian) {
        for (int b = 0; b < w; b++) out[to + b] = src[from + w - 1 - b];
      } else {
        System.arraycopy(src, from, out, to, w);
      }
      // Advance the multi-index, last axis fastest, updating the storage position incrementally.
      for (int d = size.length - 1; d >= 0; d--) {
        if (++idx[d] < size[d]) { pos += stride[d]; break; }
        pos -= (size[d] - 1) * stride[d];
        idx[d] = 0;
      }
    }
    return HostTensor.ofBytes(s.dtype(), size, out);
  }

  private static long mulExact(long a, long b, StorageRef s) {
    try { return Math.multiplyExact(a, b); } catch (ArithmeticException e) { throw overflow(s); }
  }

  private static long addExact(long a, long b, StorageRef s) {
    try { return Math.addExact(a, b); } catch (ArithmeticException e) { throw overflow(s); }
  }

  private static ModelFileException overflow(StorageRef s) {
    return new ModelFileException("tensor view of storage " + s.key() + " overflows 64-bit indexing");
  }
}
