package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Attrs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Host arithmetic used by folders: broadcasting, per-dtype precision, and the Add/Identity folders. */
class HostMathTest {
  @Test
  void broadcastsRowAgainstMatrix() {
    HostTensor a = HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    HostTensor b = HostTensor.ofFloats(new float[] {10, 20, 30}, 3);
    HostTensor y = HostMath.binary(a, b, Double::sum, Long::sum);
    assertArrayEquals(new long[] {2, 3}, y.shape());
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, y.toFloats());
  }

  @Test
  void broadcastsColumnAgainstRow() {
    HostTensor a = HostTensor.ofLongs(new long[] {100, 200}, 2, 1);
    HostTensor b = HostTensor.ofLongs(new long[] {1, 2, 3}, 1, 3);
    HostTensor y = HostMath.binary(a, b, Double::sum, Long::sum);
    assertArrayEquals(new long[] {2, 3}, y.shape());
    assertArrayEquals(new long[] {101, 102, 103, 201, 202, 203}, y.toLongs());
  }

  @Test
  void scalarsAndMiddleAxisBroadcast() {
    HostTensor s = HostTensor.ofDoubles(new double[] {0.5});
    HostTensor a = HostTensor.ofDoubles(new double[] {1, 2, 3, 4}, 2, 1, 2);
    HostTensor b = HostTensor.ofDoubles(new double[] {10, 20, 30}, 1, 3, 1);
    HostTensor y = HostMath.binary(a, b, Double::sum, Long::sum);
    assertArrayEquals(new long[] {2, 3, 2}, y.shape());
    assertArrayEquals(new double[] {11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34}, y.toDoubles());
    assertArrayEquals(new double[] {1.5}, HostMath.binary(s, s, (p, q) -> p + q + p, Long::sum).toDoubles());
  }

  @Test
  void f32ResultsAreRoundedToFloat() {
    // 2^24 + 1 is not a float: float addition gives 2^24, double addition would not.
    HostTensor a = HostTensor.ofFloats(new float[] {16777216f}, 1);
    HostTensor b = HostTensor.ofFloats(new float[] {1f}, 1);
    HostTensor y = HostMath.binary(a, b, Double::sum, Long::sum);
    assertEquals(DType.F32, y.dtype());
    assertEquals(16777216f + 1f, y.toFloats()[0]);
    assertEquals(16777216f, y.toFloats()[0]);
  }

  @Test
  void i32WrapsLikeJavaInt() {
    HostTensor a = HostTensor.ofInts(new int[] {Integer.MAX_VALUE, -5}, 2);
    HostTensor b = HostTensor.ofInts(new int[] {1, 7}, 2);
    HostTensor y = HostMath.binary(a, b, Double::sum, Long::sum);
    assertEquals(DType.I32, y.dtype());
    assertArrayEquals(new long[] {Integer.MIN_VALUE, 2}, y.toLongs());
  }

  @Test
  void i64KeepsFullPrecision() {
    long big = (1L << 53) + 1; // not representable in double
    HostTensor y = HostMath.binary(HostTensor.ofLongs(new long[] {big}, 1), HostTensor.ofLongs(new long[] {1}, 1),
        Double::sum, Long::sum);
    assertEquals(big + 1, y.toLongs()[0]);
  }

  @Test
  void rejectsIncompatibleShapesAndDtypes() {
    HostTensor a = HostTensor.ofFloats(new float[6], 2, 3);
    HostTensor b = HostTensor.ofFloats(new float[2], 2);
    ShapeException e = assertThrows(ShapeException.class, () -> HostMath.binary(a, b, Double::sum, Long::sum));
    assertTrue(e.getMessage().contains("axis 1: 3 vs 2"), e.getMessage());
    HostTensor c = HostTensor.ofDoubles(new double[6], 2, 3);
    assertThrows(ShapeException.class, () -> HostMath.binary(a, c, Double::sum, Long::sum));
  }

  @Test
  void addAndIdentityFolders() {
    HostTensor a = HostTensor.ofInts(new int[] {1, 2}, 2);
    HostTensor b = HostTensor.ofInts(new int[] {40}, 1);
    List<Folded> sum = Folding.fold(OpRegistry.get(dev.kiln.spec.ops.Add.class), List.of(Folded.of(a), Folded.of(b)), Attrs.EMPTY);
    assertArrayEquals(new long[] {41, 42}, sum.get(0).constant().toLongs());
    assertEquals(a, Folding.fold(OpRegistry.get(dev.kiln.spec.ops.Identity.class), List.of(Folded.of(a)), Attrs.EMPTY).get(0).constant());
    Folded h = Folded.of(HostTensor.filled(DType.F16, new long[] {2}, 1));
    assertNull(Folding.fold(OpRegistry.get(dev.kiln.spec.ops.Add.class), List.of(h, h), Attrs.EMPTY), "f16 is left to the runtime");
    assertNull(OpRegistry.get(dev.kiln.spec.ops.Relu.class).folder(), "ops without a rule are not folded");
  }
}
