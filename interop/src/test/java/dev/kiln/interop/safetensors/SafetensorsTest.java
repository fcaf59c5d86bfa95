package dev.kiln.interop.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors: files written by the fixture script, round trips of every dtype, and malformed headers. */
class SafetensorsTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/torch");
  @TempDir Path tmp;

  @Test void readsScriptWrittenFileWithMetadata() throws Exception {
    SafetensorsFile f = Safetensors.read(FIXTURES.resolve("mlp.safetensors"));
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(f.tensors().keySet()));
    assertArrayEquals(new long[] {4, 16}, f.tensors().get("fc2.weight").shape());
    assertEquals(Map.of("format", "pt", "source", "make_fixtures.py"), f.metadata());
  }

  @Test void everyDtypeRoundTrips() throws Exception {
    SafetensorsFile f = Safetensors.read(FIXTURES.resolve("dtypes_expected.safetensors"));
    // The fixture holds every dtype Kiln had when it was made; u16/u32/u64 came later.
    long covered = java.util.Arrays.stream(DType.values()).filter(d -> d != DType.U16 && d != DType.U32 && d != DType.U64).count();
    assertEquals(covered, f.tensors().values().stream().map(HostTensor::dtype).distinct().count());
    Path out = tmp.resolve("rt.safetensors");
    Safetensors.write(out, f.tensors(), Map.of("k", "v"));
    SafetensorsFile back = Safetensors.read(out);
    assertEquals(f.tensors(), back.tensors());
    assertEquals(Map.of("k", "v"), back.metadata());
    // The data area starts 8-byte aligned.
    long headerLen = ByteBuffer.wrap(Files.readAllBytes(out), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLen % 8);
  }

  private Path file(long headerLen, String json, int dataBytes) throws Exception {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(headerLen).put(h);
    Path p = tmp.resolve("bad.safetensors");
    Files.write(p, b.array());
    return p;
  }

  private Path file(String json, int dataBytes) throws Exception { return file(json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes); }

  private void refused(Path p, String fragment) {
    ModelFileException e = assertThrows(ModelFileException.class, () -> Safetensors.read(p));
    assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
  }

  @Test void malformedHeadersAreRefused() throws Exception {
    String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    refused(file(1L << 40, "{}", 0), "outside 2..");
    refused(file(4096, "{" + a + "}", 8), "runs past the end of the file");
    refused(file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlap");
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16), "belong to no tensor");
    refused(file("{" + a + "}", 4), "offsets run past the end of the file");
    refused(file("{" + a + "}", 12), "data area holds 12");
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
    refused(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", 8), "dtype F8_E4M3");
    refused(file("{" + a + "," + a + "}", 8), "not valid JSON");
    refused(file("{\"a\":", 0), "not valid JSON");
    refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), "invalid shape");
    refused(file("{\"__metadata__\":{\"n\":1}}", 0), "is not a string");
  }
}
