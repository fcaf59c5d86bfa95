package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy reading and writing: round trips, NumPy's exact bytes, real NumPy fixtures, refused files. */
class NpyTest {
  @TempDir Path tmp;

  private static final long[][] SHAPES = {{}, {5}, {2, 3}, {2, 1, 3}, {1, 2, 3, 2}, {0, 3}};

  @Test void roundTripsEveryDtypeAndRank() {
    SplittableRandom r = new SplittableRandom(7);
    for (DType d : DType.values()) {
      if (d == DType.BF16) continue;
      for (long[] shape : SHAPES) {
        double[] v = new double[(int) HostTensor.count(shape)];
        for (int i = 0; i < v.length; i++) {
          v[i] = d == DType.BOOL ? r.nextInt(2) : d.isFloating() ? r.nextDouble(-100, 100) : r.nextInt(-100, 100);
        }
        if (d == DType.U8) for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
        HostTensor t = HostTensor.fromDoubles(d, v, shape);
        Path p = tmp.resolve(d + "_" + shape.length + ".npy");
        Npy.write(p, t);
        assertEquals(t, Npy.read(p), d + Arrays.toString(shape));
        assertEquals(t, Npy.fromBytes(Npy.toBytes(t), "mem"), d + Arrays.toString(shape));
      }
    }
  }

  @Test void writesTheBytesTheFormatSpecifies() {
    HostTensor t = HostTensor.ofFloats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    // magic (6) + version (2) + length (2) + dict (60) + padding + '\n' is a multiple of 64: 128 bytes.
    int headerLen = 128 - 10;
    assertTrue(dict.length() + 1 <= headerLen && dict.length() + 1 > 64 - 10);
    String header = dict + " ".repeat(headerLen - dict.length() - 1) + "\n";
    ByteBuffer want = ByteBuffer.allocate(10 + headerLen + 24).order(ByteOrder.LITTLE_ENDIAN);
    want.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) headerLen);
    want.put(header.getBytes(StandardCharsets.US_ASCII));
    for (float f : new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}) want.putFloat(f);
    assertArrayEquals(want.array(), Npy.toBytes(t));
  }

  @Test void writesOneDimAndScalarShapesAsPythonTuples() {
    String one = new String(Npy.toBytes(HostTensor.ofInts(new int[] {1, 2}, 2)), StandardCharsets.ISO_8859_1);
    assertTrue(one.contains("'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"), one);
    String zero = new String(Npy.toBytes(HostTensor.scalar(DType.BOOL, 1)), StandardCharsets.ISO_8859_1);
    assertTrue(zero.contains("'descr': '|b1', 'fortran_order': False, 'shape': (), }"), zero);
  }

  @Test void readsFilesNumPyWrote() throws IOException {
    assertEquals(HostTensor.ofFloats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3), fixture("f32_2x3.npy"));
    assertEquals(HostTensor.ofDoubles(new double[] {-1.5, 2.25, 1e300}, 3), fixture("f64_be.npy"));
    assertEquals(HostTensor.ofLongs(new long[] {-7}), fixture("i64_scalar.npy"));
    assertEquals(HostTensor.ofInts(new int[] {-3, -2, -1, 0, 1, 2}, 2, 1, 3), fixture("i32_be_2x1x3.npy"));
    assertEquals(HostTensor.fromDoubles(DType.I16, new double[] {-32768, 0, 32767}, 3), fixture("i16.npy"));
    assertEquals(HostTensor.fromDoubles(DType.I8, new double[] {-128, -1, 127}, 3), fixture("i8.npy"));
    assertEquals(HostTensor.fromDoubles(DType.U8, new double[] {0, 1, 255}, 3), fixture("u8.npy"));
    assertArrayEquals(new double[] {1.0, -2.5, 65504.0}, fixture("f16.npy").toDoubles());
    assertEquals(DType.F16, fixture("f16.npy").dtype());
    assertEquals(HostTensor.ofBooleans(new boolean[] {true, false, true}, 3), fixture("bool.npy"));
    assertEquals(HostTensor.ofFloats(new float[0], 0, 3), fixture("f32_empty_0x3.npy"));
    assertEquals(HostTensor.ofInts(new int[] {0, 1, 2, 3, 4, 5}, 2, 3), fixture("i32_fortran_2x3.npy"));
    HostTensor square = HostTensor.ofFloats(new float[] {0, 1, 2, 3}, 2, 2);
    assertEquals(square, fixture("f32_v2.npy"));
    assertEquals(square, fixture("f32_v3.npy"));
  }

  @Test void transposesFortranOrderOfHigherRank() {
    // Column-major 2x3x2: element (i, j, k) sits at i + 2j + 6k.
    long[] shape = {2, 3, 2};
    int[] f = new int[12];
    int[] c = new int[12];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          int value = 100 * i + 10 * j + k;
          f[i + 2 * j + 6 * k] = value;
          c[(i * 3 + j) * 2 + k] = value;
        }
      }
    }
    byte[] fBytes = HostTensor.ofInts(f, 12).bytes();
    assertArrayEquals(HostTensor.ofInts(c, 12).bytes(), Npy.fortranToC(fBytes, shape, 4));
  }

  @Test void refusesObjectArrays() throws IOException {
    ModelFileException e = assertThrows(ModelFileException.class, () -> fixture("object.npy"));
    assertTrue(e.getMessage().contains("object array"), e.getMessage());
  }

  @Test void refusesTruncatedFiles() throws IOException {
    byte[] good = resource("f32_2x3.npy");
    for (int cut : new int[] {0, 3, 9, 40, good.length - 1}) {
      Path p = tmp.resolve("cut" + cut + ".npy");
      Files.write(p, Arrays.copyOf(good, cut));
      ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.read(p));
      assertTrue(e.getMessage().contains("truncated") && e.getMessage().startsWith(p.toString()), e.getMessage());
      assertThrows(ModelFileException.class, () -> Npy.fromBytes(Arrays.copyOf(good, cut), "cut"));
    }
  }

  @Test void refusesTrailingBytes() throws IOException {
    byte[] good = resource("f32_2x3.npy");
    ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.fromBytes(Arrays.copyOf(good, good.length + 4), "x"));
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
  }

  @Test void refusesBadMagicAndVersion() throws IOException {
    byte[] b = resource("f32_2x3.npy");
    b[1] = 'X';
    assertMessage(b, "not a .npy file");
    byte[] v = resource("f32_2x3.npy");
    v[6] = 9;
    assertMessage(v, "unsupported .npy format version 9.0");
  }

  @Test void refusesAbsurdHeaderLength() throws IOException {
    byte[] b = resource("f32_v2.npy");
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7ffffff0);
    assertMessage(b, "exceeds the limit");
  }

  @Test void refusesBadHeaders() {
    assertMessage(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }"), "non-negative");
    assertMessage(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"), "unsupported .npy dtype '<c8'");
    assertMessage(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), "structured");
    assertMessage(npy("{'descr': '<f4', 'shape': (1,), }"), "must have the keys");
    assertMessage(npy("__import__('os').system('true')"), "bad .npy header");
    assertMessage(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }"), "too large");
  }

  @Test void refusesBfloat16OnWrite() {
    HostTensor t = HostTensor.filled(DType.BF16, new long[] {2}, 1);
    assertThrows(KilnException.class, () -> Npy.toBytes(t));
  }

  @Test void missingFileIsReportedByName() {
    Path p = tmp.resolve("nope.npy");
    ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.read(p));
    assertEquals(p + ": no such .npy file", e.getMessage());
  }

  private static void assertMessage(byte[] file, String fragment) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.fromBytes(file, "bad.npy"));
    assertTrue(e.getMessage().startsWith("bad.npy: ") && e.getMessage().contains(fragment), e.getMessage());
  }

  /** A version 1.0 file with the given header text and no data. */
  private static byte[] npy(String dict) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
    return b.array();
  }

  private HostTensor fixture(String name) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, resource(name));
    HostTensor viaFile = Npy.read(p);
    assertEquals(viaFile, Npy.fromBytes(resource(name), name));
    return viaFile;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
      if (in == null) throw new IOException("missing test resource /npy/" + name);
      return in.readAllBytes();
    }
  }
}
