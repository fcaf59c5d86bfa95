package dev.kiln.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.samples.fixtures.ModelFixtures;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: torch.onnx's MobileNetV2 (35 ReLU6 as {@code Clip} with constant bounds 0 and 6) imports as 35 IR
 * {@code Clip} nodes and re-exports as 35 ONNX {@code Clip} nodes, not as Sub/Relu/Add chains (105 Sub + 70 Relu
 * before). The numbers are {@link OnnxFixtureImportTest}'s (PyTorch's outputs, on both engines).
 */
class ClipRoundTripTest {
  @Test void mobileNetReluSixStaysOneClipThroughImportAndExport() throws Exception {
    ModelProto original = OnnxImporter.read(ModelFixtures.file("mobilenet_v2.onnx"));
    Map<String, Integer> before = histogram(original);
    Graph g = OnnxImporter.importFile(ModelFixtures.file("mobilenet_v2.onnx"), ImportOptions.defaults());
    long irClips = g.nodes().stream().map(Node::op).filter(op -> op instanceof dev.kiln.spec.ops.Clip).count();
    assertEquals((long) before.get("Clip"), irClips, "IR Clip nodes");
    Map<String, Integer> after = histogram(ModelProto.parseFrom(OnnxExporter.toBytes(g)));
    assertEquals(before.get("Clip"), after.get("Clip"), "re-exported Clip nodes; before " + before + ", after " + after);
    assertEquals(before.getOrDefault("Relu", 0), after.getOrDefault("Relu", 0), "no Relu added: " + after);
    assertEquals(0, after.getOrDefault("Sub", 0), "no Sub added: " + after);
  }

  private static Map<String, Integer> histogram(ModelProto m) {
    Map<String, Integer> h = new TreeMap<>();
    for (NodeProto n : m.getGraph().getNodeList()) h.merge(n.getOpType(), 1, Integer::sum);
    return h;
  }
}
