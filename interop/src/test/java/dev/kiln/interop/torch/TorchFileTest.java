package dev.kiln.interop.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading torch.save files made by PyTorch (make_fixtures.py), checked against the same tensors written as safetensors. */
class TorchFileTest {
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/torch");
  @TempDir Path tmp;

  @Test void mlpStateDictMatchesItsSafetensorsTwin() throws Exception {
    StateDict sd = TorchFile.read(FIXTURES.resolve("mlp.pt"));
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(sd.keys()));
    assertArrayEquals(new long[] {16, 8}, sd.tensor("fc1.weight").shape());
    assertEquals(DType.F32, sd.tensor("fc1.weight").dtype());
    Map<String, HostTensor> twin = Safetensors.read(FIXTURES.resolve("mlp.safetensors")).tensors();
    assertEquals(twin, sd.tensors());
  }

  @Test void everyDtypeAndStridedViewsMatchContiguousCopies() throws Exception {
    Map<String, HostTensor> got = TorchFile.read(FIXTURES.resolve("dtypes.pt")).tensors();
    Map<String, HostTensor> want = Safetensors.read(FIXTURES.resolve("dtypes_expected.safetensors")).tensors();
    assertEquals(want.keySet(), got.keySet());
    for (String k : want.keySet()) assertEquals(want.get(k), got.get(k), k);
    assertArrayEquals(new long[] {6, 4}, got.get("transposed").shape());
    assertArrayEquals(new long[] {2, 4}, got.get("slice").shape());
    assertEquals(got.get("base").getDouble(4 * 6 - 2), got.get("column").getDouble(3));
    assertEquals(2.5, got.get("scalar").getDouble(0));
    assertEquals(-128, got.get("i8").getLong(0));
    assertEquals(Long.MAX_VALUE, got.get("i64").getLong(2));
  }

  @Test void nestedCheckpointIsNavigable() throws Exception {
    StateDict ck = TorchFile.read(FIXTURES.resolve("checkpoint.pt"));
    assertEquals(List.of("model", "optimizer", "epoch", "note"), List.copyOf(ck.keys()));
    assertEquals(3, ((Number) ck.value("epoch")).intValue());
    assertEquals("kiln", ck.value("note"));
    assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(ck.at("model").tensors().keySet()));
    StateDict opt = ck.at("optimizer");
    assertInstanceOf(List.class, opt.value("param_groups"));
    // SGD momentum buffers: one per parameter, shaped like it.
    Map<String, HostTensor> all = ck.flatten();
    assertArrayEquals(new long[] {16, 8}, all.get("optimizer.state.0.momentum_buffer").shape());
    assertTrue(all.containsKey("model.fc2.bias"));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ck.at("scheduler"));
    assertTrue(e.getMessage().contains("no entry 'scheduler'"), e.getMessage());
  }

  @Test void torchScriptAndLegacyFilesAreExplained() {
    ModelFileException ts = assertThrows(ModelFileException.class, () -> TorchFile.read(FIXTURES.resolve("torchscript.pt")));
    assertTrue(ts.getMessage().contains("TorchScript archive") && ts.getMessage().contains("state_dict"), ts.getMessage());
    ModelFileException legacy = assertThrows(ModelFileException.class, () -> TorchFile.read(FIXTURES.resolve("legacy.pt")));
    assertTrue(legacy.getMessage().contains("legacy (pre-1.6, non-zip)") && legacy.getMessage().contains("re-save"), legacy.getMessage());
  }

  @Test void bigEndianArchivesAreSwapped() throws Exception {
    byte[] be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).array();
    Map<String, byte[]> r = new LinkedHashMap<>();
    r.put("a/data.pkl", Pickles.oneTensor("0", "FloatStorage", 2, 0, new long[] {2}, new long[] {1}));
    r.put("a/byteorder", "big".getBytes());
    r.put("a/data/0", be);
    StateDict sd = TorchFile.read(Pickles.zip(tmp.resolve("be.pt"), r));
    assertArrayEquals(new float[] {1.5f, -2f}, sd.tensor("w").toFloats());
  }

  @Test void handWrittenStridedViewWithOffset() throws Exception {
    Map<String, byte[]> r = new LinkedHashMap<>();
    // storage 0..7; view offset 1, size [2, 3], stride [1, 2]: [[1, 3, 5], [2, 4, 6]]
    r.put("a/data.pkl", Pickles.oneTensor("0", "FloatStorage", 8, 1, new long[] {2, 3}, new long[] {1, 2}));
    r.put("a/data/0", Pickles.floats(0, 1, 2, 3, 4, 5, 6, 7));
    StateDict sd = TorchFile.read(Pickles.zip(tmp.resolve("v.pt"), r));
    assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, sd.tensor("w").toFloats());
  }
}
