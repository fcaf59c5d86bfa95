package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;

/** Host tensors and rows reach TF tensors byte for byte, through the direct view of the tensor's memory. */
class TfTensorsTest {
  private static HostTensor random(DType d, Random r, long... shape) {
    double[] v = new double[Math.toIntExact(HostTensor.count(shape))];
    for (int i = 0; i < v.length; i++) v[i] = r.nextInt(200) - 100;
    return HostTensor.fromDoubles(d, v, shape);
  }

  @Test void hostTensorsRoundTripInEveryDtype() {
    Random r = new Random(1);
    for (DType d : new DType[] {DType.F32, DType.F64, DType.I64, DType.I32, DType.I8, DType.F16}) {
      HostTensor h = random(d, r, 3, 1000);  // beyond one 64 KB chunk for the wide dtypes
      try (Tensor t = TfTensors.toTf(h)) {
        HostTensor back = TfTensors.fromTf(t, d);
        assertArrayEquals(h.shape(), back.shape(), d.toString());
        assertArrayEquals(h.bytes(), back.bytes(), d.toString());
      }
    }
  }

  @Test void rowsGoStraightInAndEqualTheirHostGather() {
    Random r = new Random(2);
    for (DType d : new DType[] {DType.F32, DType.I64, DType.I8}) {
      HostTensor src = random(d, r, 50, 4, 7);
      Rows rows = new Rows(src, new int[] {49, 3, 3, 0, 17});
      try (Tensor t = TfTensors.toTf(rows)) {
        HostTensor got = TfTensors.fromTf(t, d);
        HostTensor want = rows.gather();
        assertArrayEquals(want.shape(), got.shape(), d.toString());
        assertArrayEquals(want.bytes(), got.bytes(), d.toString());
      }
    }
  }

  @Test void emptyTensorsAndRows() {
    HostTensor empty = HostTensor.ofFloats(new float[0], 0, 3);
    try (Tensor t = TfTensors.toTf(empty)) {
      assertEquals(0, t.numBytes());
    }
    try (Tensor t = TfTensors.toTf(new Rows(HostTensor.ofFloats(new float[6], 2, 3), new int[0]))) {
      assertArrayEquals(new long[] {0, 3}, t.shape().asArray());
    }
  }
}
