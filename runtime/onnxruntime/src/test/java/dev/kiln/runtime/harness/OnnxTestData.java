package dev.kiln.runtime.harness;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of ONNX's backend test data (Debian package {@code libonnx-testdata}): its model's opset
 * and the tensors of {@code test_data_set_0}.
 */
public record OnnxTestData(String name, int opset, List<HostTensor> inputs, List<HostTensor> outputs) {
  /** The data folder, from the {@code kiln.onnx.testdata} property set by the build. */
  public static Path root() {
    Path p = Path.of(System.getProperty("kiln.onnx.testdata", "/usr/share/libonnx-testdata/data"));
    if (!Files.isDirectory(p)) {
      throw new AssertionError("ONNX backend test data not found at " + p
          + "; install it with: apt-get install -y libonnx-testdata (the README's test command does this)");
    }
    return p;
  }

  /** Loads {@code node/<name>}. */
  public static OnnxTestData node(String name) {
    Path dir = root().resolve("node").resolve(name);
    if (!Files.isDirectory(dir)) throw new AssertionError("no ONNX backend test case " + dir);
    try {
      ModelProto m;
      try (InputStream in = Files.newInputStream(dir.resolve("model.onnx"))) {
        m = ModelProto.parseFrom(in);
      }
      int opset = m.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).mapToInt(o -> (int) o.getVersion())
          .findFirst().orElse(1);
      Path set = dir.resolve("test_data_set_0");
      return new OnnxTestData(name, opset, read(set, "input_"), read(set, "output_"));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + dir + ": " + e, e);
    }
  }

  private static List<HostTensor> read(Path set, String prefix) throws IOException {
    List<HostTensor> out = new ArrayList<>();
    for (int i = 0; Files.exists(set.resolve(prefix + i + ".pb")); i++) {
      try (InputStream in = Files.newInputStream(set.resolve(prefix + i + ".pb"))) {
        out.add(OnnxTensors.fromProto(TensorProto.parseFrom(in)));
      }
    }
    return out;
  }
}
