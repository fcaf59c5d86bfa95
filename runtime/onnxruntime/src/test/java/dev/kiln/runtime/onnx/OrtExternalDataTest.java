package dev.kiln.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX Runtime engine reads external data only through Kiln's checks (issue 19 item 4): a hard-linked or
 * symbolically linked data file that Kiln's importer refuses is refused here too, and a good one is given to
 * the session in memory, so the model runs with the file's values.
 */
class OrtExternalDataTest {
  @TempDir Path dir;

  private static ValueInfoProto f32(String name) {
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))))).build();
  }

  /** model.onnx in {@code dir}: y = x + b, b f32[3] kept in {@code location}. */
  private Path writeModel(String location) throws IOException {
    TensorProto b = TensorProto.newBuilder().setName("b").setDataType(1).addDims(3).setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x")).addInitializer(b)
        .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("b").addOutput("y")).addOutput(f32("y")).build();
    ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
    Path p = dir.resolve("model.onnx");
    Files.write(p, m.toByteArray());
    return p;
  }

  private static void writeFloats(Path p, float... v) throws IOException {
    ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) bb.putFloat(f);
    Files.write(p, bb.array());
  }

  @Test void externalDataInsideTheFolderIsGivenInMemoryAndUsed() throws IOException {
    writeFloats(dir.resolve("w.bin"), 10, 20, 30);
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(writeModel("w.bin"))) {
      HostTensor y = m.run(Map.of("x", HostTensor.ofFloats(new float[] {1, 2, 3}, 3))).get("y");
      assertArrayEquals(new float[] {11, 22, 33}, y.toFloats());
    }
  }

  @Test void aHardLinkedDataFileIsRefusedAsTheImporterRefusesIt() throws IOException {
    Path outside = Files.createTempFile("kiln-secret", ".bin");
    try {
      writeFloats(outside, 7, 8, 9);
      Files.createLink(dir.resolve("hard.bin"), outside);
      String m = assertThrows(ModelFileException.class, () -> OnnxRuntimeModel.load(writeModel("hard.bin"))).getMessage();
      assertTrue(m.contains("hard links"), m);
      Files.createSymbolicLink(dir.resolve("soft.bin"), outside);
      m = assertThrows(ModelFileException.class, () -> OnnxRuntimeModel.load(writeModel("soft.bin"))).getMessage();
      assertTrue(m.contains("symbolic link"), m);
    } finally {
      Files.deleteIfExists(outside);
    }
  }
}
