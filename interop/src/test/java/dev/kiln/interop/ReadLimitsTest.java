package dev.kiln.interop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each read limit refuses what is over it, naming the limit's property and how to raise it. */
class ReadLimitsTest {
  @TempDir Path tmp;

  private static void assertNames(ModelFileException e, String property) {
    assertTrue(e.getMessage().contains(property) && e.getMessage().contains("-D" + property + "=N"), e.getMessage());
  }

  private static ModelProto twoRelus() {
    ValueInfoProto x = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(256))))).build();
    TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(256).setRawData(ByteString.copyFrom(new byte[1024])).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(x).addInitializer(w)
        .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("w").addOutput("h"))
        .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("h").addOutput("y")).addOutput(x.toBuilder().setName("y")).build();
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }

  @Test void onnxNodesAndInitializerBytes() {
    ModelProto m = twoRelus();
    OnnxImporter.importModel(m, null, ImportOptions.defaults());
    assertNames(assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(m, null,
        ImportOptions.defaults().limits(ReadLimits.BUILT_IN.withMaxNodes(1)))), ReadLimits.NODES);
    assertNames(assertThrows(ModelFileException.class, () -> OnnxImporter.importModel(m, null,
        ImportOptions.defaults().limits(ReadLimits.BUILT_IN.withMaxTotalBytes(1000)))), ReadLimits.TOTAL_BYTES);
  }

  @Test void safetensorsTensorAndTotalBytes() throws Exception {
    Path f = tmp.resolve("w.safetensors");
    Safetensors.write(f, Map.of("a", HostTensor.ofFloats(new float[64], 64), "b", HostTensor.ofFloats(new float[64], 64)), Map.of());
    Safetensors.read(f, ReadLimits.BUILT_IN.withMaxTensorBytes(256).withMaxTotalBytes(512));
    assertNames(assertThrows(ModelFileException.class, () -> Safetensors.read(f, ReadLimits.BUILT_IN.withMaxTensorBytes(255))), ReadLimits.TENSOR_BYTES);
    assertNames(assertThrows(ModelFileException.class, () -> Safetensors.read(f, ReadLimits.BUILT_IN.withMaxTotalBytes(511))), ReadLimits.TOTAL_BYTES);
  }

  @Test void systemPropertiesSetTheDefaults() {
    System.setProperty(ReadLimits.NODES, "7");
    try {
      assertTrue(ReadLimits.defaults().maxNodes() == 7);
      System.setProperty(ReadLimits.NODES, "lots");
      assertThrows(IllegalArgumentException.class, ReadLimits::defaults);
    } finally {
      System.clearProperty(ReadLimits.NODES);
    }
  }
}
