package dev.kiln.interop.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes safetensors files: an 8-byte little-endian header length, a JSON header mapping
 * each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the data area),
 * an optional {@code __metadata__} string map, then the raw little-endian bytes. Reading validates the
 * whole header before touching the data: bounded header size, known dtypes, byte counts matching
 * shapes, and ranges that are in the file, do not overlap and cover the data area exactly.
 */
public final class Safetensors {
  /** Largest header accepted (the reference implementation's limit). */
  public static final long MAX_HEADER = 100L << 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Map<String, DType> DTYPES = Map.of("F32", DType.F32, "F64", DType.F64, "F16", DType.F16, "BF16", DType.BF16,
      "I8", DType.I8, "U8", DType.U8, "I16", DType.I16, "I32", DType.I32, "I64", DType.I64, "BOOL", DType.BOOL);

  private Safetensors() {}

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  /** Reads every tensor and the metadata, within {@link ReadLimits#defaults()}. */
  public static SafetensorsFile read(Path path) throws IOException { return read(path, ReadLimits.defaults()); }

  /** Reads every tensor and the metadata; tensors over {@code limits} (one, or all together) are refused before reading. */
  public static SafetensorsFile read(Path path, ReadLimits limits) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      String file = String.valueOf(path.getFileName());
      if (fileSize < 8) throw new ModelFileException(file + " is too short to be a safetensors file (" + fileSize + " bytes)");
      long n = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n < 2 || n > MAX_HEADER) throw new ModelFileException(file + ": safetensors header length " + Long.toUnsignedString(n) + " is outside 2.." + MAX_HEADER);
      if (n > fileSize - 8) throw new ModelFileException(file + ": safetensors header length " + n + " runs past the end of the file (" + fileSize + " bytes)");
      byte[] header = new byte[(int) n];
      readFully(ch, 8, (int) n).get(header);
      long dataStart = 8 + n;
      long dataSize = fileSize - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Entry> entries = parseHeader(file, header, metadata);
      validateRanges(file, entries, dataSize);
      long total = 0;
      for (Entry e : entries) {
        limits.checkTensorBytes(file + ": tensor '" + e.name() + "'", e.end() - e.begin());
        total += e.end() - e.begin();
        limits.checkTotalBytes(file + ": its tensors together", total);
      }
      Map<String, HostTensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        ByteBuffer b = readFully(ch, dataStart + e.begin(), Math.toIntExact(e.end() - e.begin()));
        tensors.put(e.name(), HostTensor.ofBuffer(e.dtype(), e.shape(), b));
      }
      return new SafetensorsFile(tensors, metadata);
    }
  }

  private static List<Entry> parseHeader(String file, byte[] header, Map<String, String> metadata) {
    JsonNode root;
    try {
      root = JSON.readTree(header);
    } catch (IOException e) {
      throw new ModelFileException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new ModelFileException(file + ": safetensors header must be a JSON object");
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = f.getKey();
      JsonNode v = f.getValue();
      if (name.equals("__metadata__")) {
        if (!v.isObject()) throw new ModelFileException(file + ": __metadata__ must be an object of strings");
        v.fields().forEachRemaining(m -> {
          if (!m.getValue().isTextual()) throw new ModelFileException(file + ": __metadata__ value '" + m.getKey() + "' is not a string");
          metadata.put(m.getKey(), m.getValue().asText());
        });
        continue;
      }
      entries.add(entry(file, name, v));
    }
    return entries;
  }

  private static Entry entry(String file, String name, JsonNode v) {
    String where = file + ": tensor '" + name + "'";
    if (!v.isObject()) throw new ModelFileException(where + " must be described by an object");
    JsonNode dt = v.get("dtype");
    JsonNode shapeNode = v.get("shape");
    JsonNode offs = v.get("data_offsets");
    if (dt == null || !dt.isTextual()) throw new ModelFileException(where + " has no dtype");
    DType dtype = DTYPES.get(dt.asText());
    if (dtype == null) throw new ModelFileException(where + " has dtype " + dt.asText() + ", which Kiln does not support (supported: " + DTYPES.keySet() + ")");
    if (shapeNode == null || !shapeNode.isArray()) throw new ModelFileException(where + " has no shape array");
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) throw new ModelFileException(where + " has an invalid shape " + shapeNode);
      shape[i] = d.asLong();
    }
    if (offs == null || !offs.isArray() || offs.size() != 2 || !offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()
        || !offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
      throw new ModelFileException(where + " needs data_offsets [begin, end]");
    }
    long begin = offs.get(0).asLong();
    long end = offs.get(1).asLong();
    if (begin < 0 || end < begin) throw new ModelFileException(where + " has invalid data_offsets " + offs);
    long need;
    try {
      need = Math.multiplyExact(HostTensor.count(shape), (long) dtype.byteSize());
    } catch (ArithmeticException e) {
      throw new ModelFileException(where + " has a shape " + shapeNode + " whose size overflows");
    }
    if (end - begin != need) {
      throw new ModelFileException(where + " of " + dtype + Arrays.toString(shape) + " needs " + need + " bytes but data_offsets " + offs + " span " + (end - begin));
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static void validateRanges(String file, List<Entry> entries, long dataSize) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long at = 0;
    for (Entry e : sorted) {
      if (e.begin() < at) throw new ModelFileException(file + ": tensor '" + e.name() + "' bytes [" + e.begin() + ", " + e.end() + ") overlap another tensor's");
      if (e.begin() > at) throw new ModelFileException(file + ": bytes [" + at + ", " + e.begin() + ") of the data area belong to no tensor");
      at = e.end();
    }
    if (at != dataSize) {
      throw new ModelFileException(file + ": tensors cover " + at + " bytes but the data area holds " + dataSize + (at > dataSize ? " (offsets run past the end of the file)" : ""));
    }
  }

  private static ByteBuffer readFully(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) throw new ModelFileException("unexpected end of file at byte " + (pos + b.position()));
    }
    return b.flip();
  }

  /** Writes tensors (in map order) and metadata as a safetensors file, atomically. */
  public static void write(Path path, Map<String, HostTensor> tensors, Map<String, String> metadata) throws IOException {
    AtomicFiles.write(path, toBytes(tensors, metadata));
  }

  /** The safetensors encoding of {@code tensors} and {@code metadata}. */
  public static byte[] toBytes(Map<String, HostTensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    long offset = 0;
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) throw new ModelFileException("a tensor cannot be called __metadata__");
      HostTensor t = e.getValue();
      ObjectNode d = header.putObject(e.getKey());
      d.put("dtype", code(t.dtype()));
      ArrayNode s = d.putArray("shape");
      for (long x : t.shape()) s.add(x);
      long len = t.size() * t.dtype().byteSize();
      d.putArray("data_offsets").add(offset).add(offset + len);
      offset += len;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new ModelFileException("could not encode safetensors header: " + e.getMessage(), e);
    }
    // NOTE: the header is padded with spaces to a multiple of 8 so the data area stays 8-byte aligned.
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) out.put((byte) ' ');
    for (HostTensor t : tensors.values()) out.put(t.buffer());
    return out.array();
  }

  private static String code(DType d) {
    for (Map.Entry<String, DType> e : DTYPES.entrySet()) if (e.getValue() == d) return e.getKey();
    throw new ModelFileException("dtype " + d + " has no safetensors code");
  }

}
