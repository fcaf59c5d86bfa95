package dev.kiln.interop.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes pickle opcodes and torch.save-style zips by hand, so tests can build well-formed and hostile files. */
final class Pickles {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Pickles proto2() { return new Pickles().op(0x80).op(2); }

  Pickles op(int b) { out.write(b); return this; }

  Pickles global(String module, String name) { op('c'); raw(module + "\n" + name + "\n"); return this; }

  Pickles str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X');
    out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    out.writeBytes(b);
    return this;
  }

  Pickles integer(long v) {
    op(0x8a).op(8); // LONG1 with 8 bytes, two's complement little endian
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    return this;
  }

  Pickles mark() { return op('('); }

  Pickles tuple() { return op('t'); }

  Pickles reduce() { return op('R'); }

  Pickles emptyDict() { return op('}'); }

  Pickles setitem() { return op('s'); }

  Pickles binpersid() { return op('Q'); }

  Pickles falseValue() { return op(0x89); }

  byte[] stop() { op('.'); return out.toByteArray(); }

  private void raw(String s) { out.writeBytes(s.getBytes(StandardCharsets.US_ASCII)); }

  /** {'w': _rebuild_tensor_v2(storage('0', FloatStorage, numel), offset, size, stride, False, OrderedDict())}. */
  static byte[] oneTensor(String key, String storageType, long numel, long offset, long[] size, long[] stride) {
    Pickles p = proto2().emptyDict().str("w").global("torch._utils", "_rebuild_tensor_v2").mark();
    p.mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().binpersid();
    p.integer(offset).mark();
    for (long s : size) p.integer(s);
    p.tuple().mark();
    for (long s : stride) p.integer(s);
    p.tuple().falseValue().global("collections", "OrderedDict").mark().tuple().reduce().tuple().reduce().setitem();
    return p.stop();
  }

  /** A zip of stored (uncompressed) records, like torch.save writes. */
  static Path zip(Path file, Map<String, byte[]> records) throws IOException {
    try (OutputStream fo = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(fo)) {
      for (Map.Entry<String, byte[]> r : records.entrySet()) {
        ZipEntry e = new ZipEntry(r.getKey());
        e.setMethod(ZipEntry.STORED);
        e.setSize(r.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(r.getValue());
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(r.getValue());
        z.closeEntry();
      }
    }
    return file;
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return b.array();
  }
}
