package dev.kiln.samples.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Structural mutations of a {@code torch.save} archive: its records are unpacked, one changed (pickle opcodes
 * inserted, replaced or deleted; a storage record cut short or grown; a record dropped, duplicated or renamed,
 * including to escaping names) and the archive rebuilt, so the result is a valid zip that reaches the pickle
 * reader. Pickle opcodes come from the whole protocol, the refused ones included.
 */
final class ArchiveMutator {
  private static final byte[] OPCODES = "()*.0123FGIJKLMNPQRSTUVXabcdeghijlopqrstu}]~".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int[] HIGH = {0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f,
      0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98};
  private static final String[] NAMES = {"../evil", "/abs", "archive/data/../../x", "archive/data/0", "archive/data.pkl",
      "archive/constants.pkl", "archive/byteorder", "other/data.pkl", "archive\\data.pkl"};

  private ArchiveMutator() {}

  static byte[] mutate(byte[] zip, SplittableRandom r) {
    Map<String, byte[]> records = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) records.put(e.getName(), in.readAllBytes());
    } catch (IOException | IllegalArgumentException e) {
      return ByteMutator.mutate(zip, r);
    }
    if (records.isEmpty()) return ByteMutator.mutate(zip, r);
    List<String> names = new ArrayList<>(records.keySet());
    String pkl = names.stream().filter(n -> n.endsWith("data.pkl")).findFirst().orElse(names.get(0));
    String any = names.get(r.nextInt(names.size()));
    switch (r.nextInt(7)) {
      case 0, 1, 2 -> records.put(pkl, pickle(records.get(pkl), r));
      case 3 -> records.put(any, ByteMutator.mutate(records.get(any), r));
      case 4 -> records.remove(any);
      case 5 -> records.put(NAMES[r.nextInt(NAMES.length)], records.get(any));
      default -> { // a storage cut short or grown
        byte[] b = records.get(any);
        records.put(any, java.util.Arrays.copyOf(b, Math.max(0, b.length + r.nextInt(-16, 17))));
      }
    }
    return zip(records);
  }

  private static byte[] pickle(byte[] p, SplittableRandom r) {
    if (p.length < 3) return ByteMutator.mutate(p, r);
    int at = 2 + r.nextInt(p.length - 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(p, 0, at);
    int mode = r.nextInt(3);
    if (mode == 0 || mode == 1) { // insert or replace with 1-3 opcodes, some with an argument byte
      int k = 1 + r.nextInt(3);
      for (int i = 0; i < k; i++) {
        out.write(r.nextBoolean() ? OPCODES[r.nextInt(OPCODES.length)] : HIGH[r.nextInt(HIGH.length)]);
        if (r.nextBoolean()) out.write(r.nextInt(256));
      }
    }
    int skip = mode == 0 ? 0 : Math.min(p.length - at, 1 + r.nextInt(4));
    out.write(p, at + skip, p.length - at - skip);
    return out.toByteArray();
  }

  static byte[] zip(Map<String, byte[]> records) {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bo)) {
      for (Map.Entry<String, byte[]> e : records.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        ze.setMethod(ZipEntry.STORED);
        ze.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        ze.setCrc(crc.getValue());
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    } catch (IOException | IllegalArgumentException e) {
      return new byte[0];
    }
    return bo.toByteArray();
  }
}
