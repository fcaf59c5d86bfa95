package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ops.Reshape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Symbolic shape arithmetic: exact where it can be, unknown (never a guess) where it cannot; Reshape's rule for symbolic targets. */
class SymIntTest {
  private static final SymInt BATCH = SymInt.of(Dim.symbolic("batch"));
  private static final SymInt SEQ = SymInt.of(Dim.symbolic("seq"));

  private static SymInt k(long v) { return SymInt.of(v); }

  @Test
  void arithmeticIsExactOrUnknown() {
    assertEquals(new SymInt(4, Dim.symbolic("batch")), BATCH.times(k(4)));
    assertEquals(BATCH, BATCH.times(k(4)).div(k(4)));
    assertEquals(SymInt.unknown(), BATCH.div(k(4)), "batch / 4 may not divide");
    assertEquals(k(0), BATCH.minus(BATCH));
    assertEquals(new SymInt(2, Dim.symbolic("batch")), BATCH.plus(BATCH));
    assertEquals(SymInt.unknown(), BATCH.plus(k(1)));
    assertEquals(SymInt.unknown(), BATCH.times(SEQ));
    assertEquals(SymInt.unknown(), BATCH.minus(SEQ));
    assertEquals(k(0), BATCH.times(k(0)));
    assertEquals(k(-3), k(7).div(k(-2)), "integer division truncates toward zero");
    assertEquals(k(Long.MIN_VALUE), k(Long.MAX_VALUE).plus(k(1)), "static values wrap as the runtime's do");
  }

  @Test
  void unknownDimsNeverCancel() {
    SymInt u = SymInt.of(Dim.unknown());
    assertEquals(SymInt.unknown(), u.minus(u), "two unknown dims are two run-time values");
    assertNull(u.equalTo(u));
  }

  @Test
  void divisionThatFailsAtRunTimeIsRefused() {
    assertNull(k(1).div(k(0)));
    assertNull(BATCH.div(k(0)));
    assertNull(k(Long.MIN_VALUE).div(k(-1)));
  }

  @Test
  void equalityOnlyWhereCertain() {
    assertEquals(Boolean.FALSE, BATCH.equalTo(k(-1)), "a size is never negative");
    assertNull(BATCH.equalTo(k(1)), "batch may be 1");
    assertEquals(Boolean.TRUE, BATCH.equalTo(BATCH));
    assertNull(BATCH.equalTo(SEQ));
    assertEquals(Boolean.FALSE, k(2).equalTo(k(3)));
  }

  @Test
  void toDimKeepsSymbolsOfFactorOne() {
    assertEquals(Dim.symbolic("batch"), BATCH.toDim());
    assertTrue(BATCH.times(k(2)).toDim().isUnknown());
    assertEquals(Dim.of(3), k(3).toDim());
    assertTrue(k(-1).toDim().isUnknown());
  }

  @Test
  void shapeValuesNarrowStaticEntriesAndBecomeConstants() {
    assertEquals(Folded.of(HostTensor.ofInts(new int[] {-1, 3}, 2)), Folded.ints(DType.I32, List.of(k(0xFFFFFFFFL), k(3)), false));
    assertTrue(Folded.ints(DType.I64, List.of(BATCH, k(3)), false) instanceof Folded.ShapeValue);
    assertEquals(Folded.of(HostTensor.ofLongs(new long[] {5})), Folded.ints(DType.I64, List.of(k(5)), true));
  }

  @Test
  void reshapeSpecForSymbolicTargets() {
    Shape x = Shape.parse("batch", 6, 32);
    assertArrayEquals(new long[] {0, -1}, Reshape.staticSpec(x, List.of(BATCH, k(-1))), "x's own dim is copied");
    assertArrayEquals(new long[] {-1, 6, 8}, Reshape.staticSpec(x, List.of(BATCH.times(k(4)), k(6), k(8))));
    assertArrayEquals(new long[] {6, -1}, Reshape.staticSpec(x, List.of(k(6), BATCH)), "a symbol elsewhere is inferred");
    assertNull(Reshape.staticSpec(x, List.of(BATCH.times(k(2)), BATCH.times(k(3)))), "two entries to infer");
    assertNull(Reshape.staticSpec(x, List.of(BATCH.times(k(2)), k(-1))), "an inferred entry besides -1");
    assertNull(Reshape.staticSpec(x, List.of(BATCH.times(k(-1)))), "a negative multiple is left to the runtime");
  }
}
