package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX reading from hand-written bytes, plain and gzipped, and refusal of malformed files. */
class IdxTest {
  @TempDir Path tmp;

  /** Two 2x3 u8 "images", bytes written out by hand as the IDX spec lays them out. */
  private static final byte[] IMAGES = bytes(
      0, 0, 0x08, 3,            // magic: u8, rank 3
      0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,  // dims 2, 2, 3
      1, 2, 3, 4, 5, 6,
      7, 8, 9, 250, 251, 255);

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
    return b;
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
      g.write(b);
    }
    return bo.toByteArray();
  }

  @Test void readsPlainU8Images() throws IOException {
    HostTensor t = Idx.read(write("images-idx3-ubyte", IMAGES));
    assertEquals(DType.U8, t.dtype());
    assertArrayEquals(new long[] {2, 2, 3}, t.shape());
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 250, 251, 255}, t.toLongs());
  }

  @Test void detectsGzipByMagicNotName() throws IOException {
    // A gzipped file without .gz, and a plain file named .gz: both read by content.
    HostTensor gz = Idx.read(write("no-suffix", gzip(IMAGES)));
    HostTensor plain = Idx.read(write("lying.gz", IMAGES));
    assertArrayEquals(plain.bytes(), gz.bytes());
    assertArrayEquals(new long[] {2, 2, 3}, gz.shape());
  }

  @Test void readsLabels() throws IOException {
    HostTensor t = Idx.read(write("labels.gz", gzip(bytes(0, 0, 0x08, 1, 0, 0, 0, 4, 9, 0, 3, 7))));
    assertArrayEquals(new long[] {4}, t.shape());
    assertArrayEquals(new long[] {9, 0, 3, 7}, t.toLongs());
  }

  @Test void convertsBigEndianElementTypes() throws IOException {
    // i32 [2]: 0x00000102 = 258 and 0xFFFFFFFE = -2.
    HostTensor i32 = Idx.read(write("i32", bytes(0, 0, 0x0C, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe)));
    assertEquals(DType.I32, i32.dtype());
    assertArrayEquals(new long[] {258, -2}, i32.toLongs());
    // i16 [1]: 0x8001 = -32767.
    HostTensor i16 = Idx.read(write("i16", bytes(0, 0, 0x0B, 1, 0, 0, 0, 1, 0x80, 0x01)));
    assertEquals(-32767, i16.getLong(0));
    // f32 [1]: 0x3FC00000 = 1.5; f64 [1]: 0xC004000000000000 = -2.5.
    HostTensor f32 = Idx.read(write("f32", bytes(0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0)));
    assertEquals(1.5, f32.getDouble(0));
    HostTensor f64 = Idx.read(write("f64", bytes(0, 0, 0x0E, 1, 0, 0, 0, 1, 0xc0, 0x04, 0, 0, 0, 0, 0, 0)));
    assertEquals(-2.5, f64.getDouble(0));
    // i8 [2]: 0xff = -1.
    HostTensor i8 = Idx.read(write("i8", bytes(0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 5)));
    assertArrayEquals(new long[] {-1, 5}, i8.toLongs());
  }

  @Test void encodeIsTheInverseOfRead() throws IOException {
    assertArrayEquals(IMAGES, Idx.encode(Idx.read(write("a", IMAGES))));
    HostTensor f = HostTensor.ofFloats(new float[] {0.25f, -3f, 7.5f, 1e-3f, 2f, 0f}, 3, 2);
    HostTensor back = Idx.read(write("f", Idx.encode(f)));
    assertArrayEquals(f.bytes(), back.bytes());
    assertArrayEquals(f.shape(), back.shape());
  }

  @Test void scalarAndEmptyShapes() throws IOException {
    HostTensor empty = Idx.read(write("e", bytes(0, 0, 0x08, 2, 0, 0, 0, 0, 0, 0, 0, 5)));
    assertArrayEquals(new long[] {0, 5}, empty.shape());
    HostTensor scalar = Idx.read(write("s", bytes(0, 0, 0x08, 0, 42)));
    assertEquals(0, scalar.rank());
    assertEquals(42, scalar.getLong(0));
  }

  private void assertRefused(String name, byte[] content, String... fragments) throws IOException {
    Path p = write(name, content);
    ModelFileException e = assertThrows(ModelFileException.class, () -> Idx.read(p));
    assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
  }

  @Test void refusesBadMagicAndTypes() throws IOException {
    assertRefused("magic", bytes(1, 0, 0x08, 1, 0, 0, 0, 1, 5), "bad magic");
    assertRefused("type", bytes(0, 0, 0x0A, 1, 0, 0, 0, 1, 5), "unknown element type 0x0a");
  }

  @Test void refusesTruncatedFilesPlainAndGzipped() throws IOException {
    assertRefused("short-header", bytes(0, 0, 8), "truncated");
    assertRefused("short-dims", bytes(0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0), "truncated", "3 dimensions declared, 1 present");
    byte[] cut = Arrays.copyOf(IMAGES, IMAGES.length - 1);
    assertRefused("short-data", cut, "truncated", "needs 12 data bytes");
    assertRefused("short-data.gz", gzip(cut), "truncated", "found 11");
    byte[] gz = gzip(IMAGES);
    assertRefused("cut-stream.gz", Arrays.copyOf(gz, gz.length - 10), "truncated");
    assertRefused("empty", new byte[0], "truncated");
  }

  @Test void refusesHugeOrNegativeDimsWithoutAllocating() throws IOException {
    // 2^31-1 cubed would overflow; 60000 x 60000 x 60000 u8 is far beyond any buffer: refused from the header.
    assertRefused("huge", bytes(0, 0, 0x08, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 1), "more than");
    // 100 MB declared, 1 byte present: the plain file's size refuses it before allocation.
    assertRefused("big", bytes(0, 0, 0x08, 2, 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 1), "needs 100000000 data bytes");
    // Same in a gzip stream: only the bytes present are read.
    assertRefused("big.gz", gzip(bytes(0, 0, 0x08, 2, 0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10, 1)), "found 1");
    assertRefused("negative", bytes(0, 0, 0x08, 1, 0xff, 0xff, 0xff, 0xff), "negative dimension -1");
  }

  @Test void gzipTrailerSizeIsOnlyAHint() throws IOException {
    byte[] gz = gzip(IMAGES);
    assertEquals(IMAGES.length, Idx.gzipSizeHint(write("right.gz", gz), gz.length));
    // A trailer that lies (too small, too large) changes only the first buffer's size, not what is read.
    for (int claimed : new int[] {1, 5, 0x7fffffff}) {
      byte[] forged = gz.clone();
      for (int i = 0; i < 4; i++) forged[forged.length - 4 + i] = (byte) (claimed >>> (8 * i));
      Path p = write("forged-" + claimed + ".gz", forged);
      assertTrue(Idx.gzipSizeHint(p, forged.length) <= Idx.MAX_HINT_RATIO * forged.length);
      // NOTE: GZIPInputStream checks ISIZE at the end, so a forged one is reported as a damaged stream, not read wrong.
      ModelFileException e = assertThrows(ModelFileException.class, () -> Idx.read(p));
      assertTrue(e.getMessage().contains("damaged or truncated gzip"), e.getMessage());
    }
  }

  @Test void refusesTrailingBytesAndMissingFiles() throws IOException {
    byte[] longer = Arrays.copyOf(IMAGES, IMAGES.length + 3);
    assertRefused("trailing", longer, "trailing bytes");
    ModelFileException e = assertThrows(ModelFileException.class, () -> Idx.read(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"));
  }
}
