package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static dev.kiln.interop.onnx.Models.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An LSTM with a run-time {@code sequence_lens} (torch.onnx's packed sequences) imports for the forward direction
 * as the whole-sequence run with Y masked past each entry's length and Y_h picked at its last valid step; reading
 * Y_c, or another direction, is refused with node, op, opset and reason. The numbers are checked end to end
 * against PyTorch on both back ends by samples/programs' TorchExportSuiteTest (lstm_packed).
 */
class RaggedRecurrentImportTest {
  private static String[] s(String... v) { return v; }

  /** x [7, batch, 8] and int32 lengths [batch] as graph inputs; LSTM hidden 16; {@code outputs}: graph outputs. */
  private static GraphProto lstm(String direction, List<ValueInfoProto> outputs) {
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    ValueInfoProto lens = ValueInfoProto.newBuilder().setName("lens").setType(f32("lens", "batch").getType().toBuilder()
        .setTensorType(f32("lens", "batch").getType().getTensorType().toBuilder().setElemType(6))).build();
    GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(f32("x", 7, "batch", 8)).addInput(lens)
        .addInitializer(OnnxTensors.toProto("W", HostTensor.filled(DType.F32, new long[] {dirs, 64, 8}, 0.1)))
        .addInitializer(OnnxTensors.toProto("R", HostTensor.filled(DType.F32, new long[] {dirs, 64, 16}, 0.1)))
        .addInitializer(OnnxTensors.toProto("B", HostTensor.filled(DType.F32, new long[] {dirs, 128}, 0.0)))
        .addNode(node("LSTM", s("x", "W", "R", "B", "lens"), s("y", "yh", "yc"),
            AttributeProto.newBuilder().setName("hidden_size").setType(AttributeProto.AttributeType.INT).setI(16).build(),
            str("direction", direction)));
    outputs.forEach(g::addOutput);
    return g.build();
  }

  private static Graph load(GraphProto g) { return OnnxImporter.importBytes(model(14, g).toByteArray(), ImportOptions.defaults()); }

  @Test
  void forwardWithRunTimeLengthsMasksYAndPicksYhAtEachLastStep() {
    Graph ir = load(lstm("forward", List.of(f32("y", 7, 1, "batch", 16), f32("yh", 1, "batch", 16))));
    List<String> ops = ir.nodes().stream().map(Node::opName).toList();
    assertTrue(ops.containsAll(List.of("Lstm", "Less", "Where", "OneHot", "ReduceSum")), ops.toString());
    assertEquals(List.of(Dim.of(7), Dim.of(1), Dim.symbolic("batch"), Dim.of(16)), ir.outputs().get(0).type().shape().dims());
    assertEquals(List.of(Dim.of(1), Dim.symbolic("batch"), Dim.of(16)), ir.outputs().get(1).type().shape().dims());
  }

  @Test
  void readingYcIsRefusedWhereItIsRead() {
    UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
        () -> load(lstm("forward", List.of(f32("yc", 1, "batch", 16)))));
    String m = e.getMessage();
    assertTrue(m.contains("(LSTM, opset 14)") && m.contains("Y_c") && m.contains("sequence_lens"), m);
    assertTrue(m.lines().count() == 1, "one line: " + m);
  }

  @Test
  void otherDirectionsAreRefusedWithTheReason() {
    for (String d : List.of("reverse", "bidirectional")) {
      UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
          () -> load(lstm(d, List.of(f32("y", 7, d.equals("bidirectional") ? 2 : 1, "batch", 16)))));
      assertTrue(e.getMessage().contains("direction=" + d) && e.getMessage().contains("sequence_lens"), e.getMessage());
    }
  }
}
