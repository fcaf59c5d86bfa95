package dev.kiln.compiler.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Kiln;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import org.junit.jupiter.api.Test;

class OnnxTextTest {
  private static Graph graph(float weight0) {
    GraphBuilder b = new GraphBuilder("t");
    Value x = b.input("x", TensorType.of(DType.F32, 100));
    float[] w = new float[100];
    w[0] = weight0;
    Value p = b.parameter("w", HostTensor.ofFloats(w, 100), true, "test");
    Value big = Ops.constant(b, HostTensor.filled(DType.F32, new long[] {100}, 3));
    Value small = Ops.constant(b, HostTensor.ofFloats(new float[] {7}, 1));
    Value y = Ops.add(b, Ops.add(b, Ops.add(b, x, p), big), small);
    b.output(y);
    return b.build();
  }

  @Test
  void normalisesVolatileFields() {
    ModelProto m = OnnxExporter.export(graph(1));
    assertTrue(m.getGraph().getNode(0).getDocString().contains("OnnxTextTest"), "the exporter records source lines");
    String text = OnnxText.of(m);
    assertTrue(text.contains("producer_version: \"<version>\""), text);
    assertFalse(text.contains("\"" + Kiln.VERSION + "\""), text);
    assertTrue(text.contains("key: \"kiln.version\"\n  value: \"<version>\""), text);
    assertFalse(text.contains("OnnxTextTest"), "node doc_strings are dropped");
    assertTrue(text.contains("doc_string: \"raw_data: 400 bytes, sha256 "), "initializer digest: " + text);
    assertEquals(2, text.split("raw_data: 400 bytes").length - 1, "initializer and the large constant are digested");
    assertEquals(1, text.split("raw_data: \"").length - 1, "the 4-byte constant stays inline");
  }

  @Test
  void aWeightChangeChangesTheText() {
    String a = OnnxText.of(OnnxExporter.export(graph(1)));
    assertEquals(a, OnnxText.of(OnnxExporter.export(graph(1))));
    assertNotEquals(a, OnnxText.of(OnnxExporter.export(graph(2))));
  }
}
