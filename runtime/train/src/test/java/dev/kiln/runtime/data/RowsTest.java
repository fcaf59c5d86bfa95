package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Rows of a tensor gathered on the host or copied into a (direct) buffer, and the lazy batches built on them. */
class RowsTest {
  /** 5 examples of [2, 3], element (i, j, k) = 100 i + 10 j + k. */
  private static HostTensor source() {
    float[] v = new float[30];
    for (int i = 0; i < 5; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) v[i * 6 + j * 3 + k] = 100 * i + 10 * j + k;
    return HostTensor.ofFloats(v, 5, 2, 3);
  }

  @Test void gatherTakesTheRowsInOrderWithRepeats() {
    Rows r = new Rows(source(), new int[] {4, 0, 4});
    HostTensor g = r.gather();
    assertArrayEquals(new long[] {3, 2, 3}, g.shape());
    float[] f = g.toFloats();
    assertEquals(400, f[0]);
    assertEquals(12, f[6 + 5]);
    assertEquals(412, f[12 + 5]);
    assertEquals(3 * 6 * 4, r.byteSize());
  }

  @Test void copyIntoADirectBufferFromItsPosition() {
    Rows r = new Rows(source(), new int[] {2, 1});
    ByteBuffer dst = ByteBuffer.allocateDirect(8 + (int) r.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    dst.position(8);
    r.copyInto(dst);
    assertEquals(8, dst.position(), "the position is left alone");
    assertEquals(200f, dst.getFloat(8));
    assertEquals(112f, dst.getFloat(8 + 24 + 5 * 4));
    ByteBuffer small = ByteBuffer.allocateDirect(10);
    assertTrue(assertThrows(KilnException.class, () -> r.copyInto(small)).getMessage().contains("the rows need 48"));
  }

  @Test void indicesOutsideTheSourceAreRefused() {
    KilnException e = assertThrows(KilnException.class, () -> new Rows(source(), new int[] {0, 5}));
    assertTrue(e.getMessage().contains("example index 5 is out of range 0..4"), e.getMessage());
    assertThrows(KilnException.class, () -> new Rows(source(), new int[] {-1}));
  }

  @Test void shuffledBatchesKeepRowsUntilAskedAndMatchTheirGather() {
    Dataset d = new Dataset(source(), HostTensor.ofLongs(new long[] {0, 1, 2, 3, 4}, 5));
    for (Batch b : d.batches(2, true, 7)) {
      Rows rows = b.featureRows();
      assertNotNull(rows, "a shuffled batch is cut as rows");
      assertEquals(rows.count(), b.size());
      HostTensor f = b.features();
      assertSame(f, b.features(), "gathered once");
      long[] labels = b.labels().toLongs();
      float[] v = f.toFloats();
      for (int i = 0; i < labels.length; i++) assertEquals(100f * labels[i], v[i * 6], "row " + i + " holds example " + labels[i]);
    }
    for (Batch b : d.batches(2, false, 0)) assertNull(b.featureRows(), "an in-order batch is a view, not rows");
  }
}
