package dev.kiln.spec.ops;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;

/**
 * Training-form dropout's keep mask: a counter-based hash of (seed, step, element index), written in plain int64
 * IR ops (Add, Mul, Mod, Cast, CumSum, Greater) so that every back end (TensorFlow, and ONNX Runtime through a
 * default-domain opset-17 file) draws the same mask bit for bit, and so that {@link #keeps} reproduces it on the
 * host (or in any language with 64-bit integers).
 *
 * <p>The hash works modulo the prime P = 2^31 - 1 and keeps every intermediate below 2^63, so it is exact integer
 * arithmetic on every back end, with no overflow to agree on. ONNX has no integer Xor before opset 18 and its
 * BitShift is unsigned-only, so the mixing is multiplicative: three rounds of x = (a x + c) mod P, x = x^2 mod P.
 * <pre>
 *   s  = (a0 * 48271 + a1 * 16807 + 12345) mod P       a0 = seed mod P, a1 = (seed div P) mod P  (host)
 *   k  = (s + step * 69621) mod P;  k = (k^2 + 7) mod P;  k = (k^2 + step) mod P   (step: the 1-based train.step)
 *   x  = (i + k) mod P, then for (a, c) in (48271, 11), (69621, 29), (16807, 37): x = (a x + c) mod P; x = x^2 mod P
 *   keep element i  iff  x >= ceil(rate * P)
 * </pre>
 * i is the element's row-major index in x (per-element dropout) or the index of (sample, channel) (spatial dropout).
 * NOTE: chosen by measurement, not by proof: over 2^20 elements the 256-bin histogram of x / P, the 16x16 histograms
 * of neighbouring elements, of the same element at consecutive steps and of two seeds all gave chi-square / df near
 * 1, and the keep rate is 1 - rate within sampling error (DropoutMaskTest checks the keep rate and neighbours).
 */
public final class DropoutMask {
  /** The modulus, 2^31 - 1 (prime). */
  public static final long P = 2147483647L;
  private static final long[][] ROUNDS = {{48271, 11}, {69621, 29}, {16807, 37}};

  private DropoutMask() {}

  /** The seed's contribution to the key, computed on the host (the seed is a node attribute). */
  static long seedKey(long seed) {
    long a0 = Math.floorMod(seed, P);
    long a1 = Math.floorMod(Math.floorDiv(seed, P), P);
    return (a0 * 48271 + a1 * 16807 + 12345) % P;
  }

  /** The per-(seed, step) key k of the class comment. */
  static long key(long seed, long step) {
    long k = Math.floorMod(seedKey(seed) + step * 69621, P);
    k = (k * k + 7) % P;
    return Math.floorMod(k * k + step, P);
  }

  /** The threshold: an element is kept iff its hash is at least this. */
  static long threshold(double rate) { return (long) Math.ceil(rate * P); }

  /**
   * The host reference: whether elements 0 .. count-1 are kept at this (seed, 1-based step, rate); the masks both
   * back ends draw equal these.
   */
  public static boolean[] keeps(long seed, long step, int count, double rate) {
    long k = key(seed, step);
    long t = threshold(rate);
    boolean[] out = new boolean[count];
    for (int i = 0; i < count; i++) {
      long x = (i + k) % P;
      for (long[] r : ROUNDS) {
        x = (x * r[0] + r[1]) % P;
        x = x * x % P;
      }
      out[i] = x >= t;
    }
    return out;
  }

  /**
   * The bool keep mask of training-form dropout of {@code x} at f32 scalar {@code step}: shaped like x, or
   * [N, C, 1, ...] (broadcasting over x) when {@code spatial}.
   */
  static Value build(GraphBuilder b, Value x, Value step, long seed, double rate, boolean spatial) {
    Value st = Ops.cast(b, step, DType.I64);
    Value k = mod(b, Ops.add(b, i64(b, seedKey(seed)), Ops.mul(b, st, i64(b, 69621))));
    k = mod(b, Ops.add(b, Ops.mul(b, k, k), i64(b, 7)));
    k = mod(b, Ops.add(b, Ops.mul(b, k, k), st));
    Value idx = index(b, x, spatial);
    Value h = mod(b, Ops.add(b, idx, k));
    for (long[] r : ROUNDS) {
      h = mod(b, Ops.add(b, Ops.mul(b, h, i64(b, r[0])), i64(b, r[1])));
      h = mod(b, Ops.mul(b, h, h));
    }
    // x >= t as x > t - 1 (the IR's comparisons are Greater, Less, Equal).
    return Ops.greater(b, h, i64(b, threshold(rate) - 1));
  }

  /**
   * Row-major element indices (int64) with x's type's shape (symbols kept, so the dropout output keeps x's type),
   * or with [N, C, 1, ...] (indices of (sample, channel)) when spatial: the sum over the axes of each element's
   * position along the axis (an exclusive CumSum of ones) times the axis's stride (a product of run-time dims).
   */
  private static Value index(GraphBuilder b, Value x, boolean spatial) {
    int rank = x.type().rank();
    Value like = x;
    if (spatial && rank > 2) {
      long[] axes = new long[rank - 2];
      for (int a = 2; a < rank; a++) axes[a - 2] = a;
      like = Ops.slice(b, x, new long[axes.length], ones(axes.length), axes, ones(axes.length));
    }
    Value one = Ops.broadcastLike(b, i64(b, 1), like);
    int used = spatial ? 2 : rank;
    Value shape = used > 1 ? Ops.shape(b, like) : null;
    Value idx = null;
    for (int a = 0; a < used; a++) {
      Value pos = Ops.cumSum(b, one, null, a, true, false);
      if (a < used - 1) {
        Value stride = Ops.reduceProd(b, Ops.slice(b, shape, new long[] {a + 1}, new long[] {used}), new long[] {0}, false);
        pos = Ops.mul(b, pos, stride);
      }
      idx = idx == null ? pos : Ops.add(b, idx, pos);
    }
    return idx;
  }

  private static long[] ones(int n) {
    long[] v = new long[n];
    java.util.Arrays.fill(v, 1);
    return v;
  }

  private static Value mod(GraphBuilder b, Value v) { return Ops.mod(b, v, i64(b, P)); }

  private static Value i64(GraphBuilder b, long v) { return Ops.constant(b, HostTensor.ofLongs(new long[] {v})); }
}
