package dev.kiln.interop.torch;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.Model;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding PyTorch state dicts to DSL models: layouts, name mapping, strict and non-strict reports, export back. */
class WeightsTest {
  static final Path FIXTURES = TorchFileTest.FIXTURES;
  @TempDir Path tmp;

  static Model mlp(long hidden) {
    return Model.build("mlp", m -> m.linear("fc2", m.linear("fc1", m.input("x", F32, "batch", 8), hidden).relu(), 4));
  }

  private static HostTensor param(Model m, String name) { return m.graph().parameter(name).orElseThrow().initial(); }

  @Test void linearWeightsAreTransposedIntoKilnLayout() throws Exception {
    StateDict sd = TorchFile.read(FIXTURES.resolve("mlp.pt"));
    Model loaded = Weights.load(mlp(16), sd);
    HostTensor pt = sd.tensor("fc1.weight"); // [16, 8] = [out, in]
    HostTensor kiln = param(loaded, "fc1.weight"); // [8, 16] = [in, out]
    assertArrayEquals(new long[] {8, 16}, kiln.shape());
    for (int o = 0; o < 16; o++) for (int i = 0; i < 8; i++) assertEquals(pt.getDouble(o * 8 + i), kiln.getDouble(i * 16 + o));
    assertEquals(sd.tensor("fc2.bias"), param(loaded, "fc2.bias"));
  }

  @Test void strictModeReportsEveryProblemAtOnce() throws Exception {
    Map<String, HostTensor> t = new LinkedHashMap<>(TorchFile.read(FIXTURES.resolve("mlp.pt")).tensors());
    t.remove("fc2.bias");
    t.put("fc3.weight", HostTensor.ofFloats(new float[] {1}, 1));
    StateDict sd = StateDict.of(t);
    KilnException e = assertThrows(KilnException.class, () -> Weights.load(mlp(32), sd));
    String msg = e.getMessage();
    assertTrue(msg.contains("missing keys: [fc2.bias]"), msg);
    assertTrue(msg.contains("unexpected keys: [fc3.weight]"), msg);
    assertTrue(msg.contains("size mismatch: fc1.weight: checkpoint shape [16, 8]"), msg);
    assertTrue(msg.contains("model shape [8, 32]"), msg);
    assertTrue(msg.contains("size mismatch: fc1.bias"), msg);
    assertTrue(msg.contains("size mismatch: fc2.weight"), msg);
  }

  @Test void nonStrictLoadsWhatFitsAndReports() throws Exception {
    StateDict sd = TorchFile.read(FIXTURES.resolve("mlp.pt"));
    Model target = mlp(32);
    Weights.Loaded r = Weights.load(target, sd, LoadOptions.defaults().strict(false));
    assertEquals(List.of("fc2.bias"), r.report().loaded());
    assertEquals(3, r.report().mismatched().size());
    assertEquals(sd.tensor("fc2.bias"), param(r.model(), "fc2.bias"));
    assertEquals(param(target, "fc1.weight"), param(r.model(), "fc1.weight"));
  }

  @Test void renameRulesAndMappingFunctions() throws Exception {
    StateDict ck = TorchFile.read(FIXTURES.resolve("checkpoint.pt"));
    Map<String, HostTensor> prefixed = new LinkedHashMap<>();
    ck.at("model").tensors().forEach((k, v) -> prefixed.put("module.net." + k, v));
    prefixed.put("module.net.fc1.num_batches_tracked", HostTensor.ofLongs(new long[] {0}));
    LoadOptions opts = LoadOptions.defaults().rename("^module\\.", "").ignore(".*num_batches_tracked").mapping(k -> k.replace("net.", ""));
    Model m = Weights.load(mlp(16), StateDict.of(prefixed), opts).model();
    assertEquals(ck.at("model").tensor("fc1.bias"), param(m, "fc1.bias"));
  }

  @Test void exportWritesPyTorchNamesAndLayouts() throws Exception {
    StateDict sd = TorchFile.read(FIXTURES.resolve("mlp.pt"));
    Path out = tmp.resolve("mlp.safetensors");
    Weights.saveSafetensors(Weights.load(mlp(16), sd), out);
    var back = Safetensors.read(out);
    assertEquals(sd.tensors(), back.tensors());
    assertEquals("kiln", back.metadata().get("producer"));
  }
}
