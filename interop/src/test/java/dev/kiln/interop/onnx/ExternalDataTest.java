package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.ir.Graph;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalDataTest {
  @TempDir Path dir;

  /** Writes model.onnx in {@code dir} whose initializer b (f32[3]) lives at {@code location}. */
  private Path writeModel(String location, String... extra) throws IOException {
    TensorProto.Builder b = TensorProto.newBuilder().setName("b").setDataType(1).addDims(3)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
    for (int i = 0; i < extra.length; i += 2) b.addExternalData(StringStringEntryProto.newBuilder().setKey(extra[i]).setValue(extra[i + 1]));
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 3)).addInitializer(b)
        .addNode(node("Add", new String[] {"x", "b"}, new String[] {"y"})).addOutput(f32("y", 3)).build();
    Path m = dir.resolve("model.onnx");
    Files.write(m, model(13, g).toByteArray());
    return m;
  }

  private void writeData(Path p, float... v) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) bb.putFloat(f);
    Files.write(p, bb.array());
  }

  private String refusal(Path model) {
    return assertThrows(ModelFileException.class, () -> OnnxImporter.importFile(model, ImportOptions.defaults())).getMessage();
  }

  @Test
  void readsDataBesideTheModelAtAnOffset() throws IOException {
    writeData(dir.resolve("w.bin"), 9, 1, 2, 3);
    Graph g = OnnxImporter.importFile(writeModel("w.bin", "offset", "4", "length", "12"), ImportOptions.defaults());
    assertArrayEquals(new float[] {1, 2, 3}, g.parameters().get(0).initial().toFloats());
  }

  @Test
  void refusesAbsoluteParentAndUnknownKeys() throws IOException {
    writeData(dir.resolve("w.bin"), 1, 2, 3);
    assertTrue(refusal(writeModel(dir.resolve("w.bin").toAbsolutePath().toString())).contains("absolute"));
    assertTrue(refusal(writeModel("../w.bin")).contains(".."));
    assertTrue(refusal(writeModel("w.bin", "sneaky", "1")).contains("unknown external_data key"));
  }

  @Test
  void refusesLinksAndShortFiles() throws IOException {
    Path outside = Files.createTempFile("kiln-outside", ".bin");
    try {
      writeData(outside, 1, 2, 3);
      Files.createSymbolicLink(dir.resolve("link.bin"), outside);
      assertTrue(refusal(writeModel("link.bin")).contains("symbolic link"));
      Files.createLink(dir.resolve("hard.bin"), outside);
      assertTrue(refusal(writeModel("hard.bin")).contains("hard links"));
    } finally {
      Files.deleteIfExists(outside);
    }
    writeData(dir.resolve("short.bin"), 1, 2);
    assertTrue(refusal(writeModel("short.bin")).contains("runs past its end"));
    writeData(dir.resolve("w.bin"), 1, 2, 3);
    assertTrue(refusal(writeModel("w.bin", "length", "8")).contains("needs 12 bytes"));
  }

  @Test
  void bytesWithoutAFolderCannotReadExternalData() throws IOException {
    byte[] bytes = Files.readAllBytes(writeModel("w.bin"));
    assertThrows(ModelFileException.class, () -> OnnxImporter.importBytes(bytes, ImportOptions.defaults()));
  }
}
