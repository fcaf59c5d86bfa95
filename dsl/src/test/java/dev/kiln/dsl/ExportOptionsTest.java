package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.spec.Kiln;
import dev.kiln.spec.KilnException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What an exported MLP carries: opset, IR version, symbolic dims, value names, provenance. */
class ExportOptionsTest {
  private static ModelProto export(ExportOptions o) throws Exception {
    return ModelProto.parseFrom(OnnxExporter.toBytes(Mlps.mlp().graph(), o));
  }

  /** The ONNX versioning table: opset 13-14 ship with IR 7, 15-18 with IR 8, 19-20 with IR 9, 21 with IR 10. */
  private static int irVersionOf(int opset) {
    return switch (opset) {
      case 13, 14 -> 7;
      case 15, 16, 17, 18 -> 8;
      case 19, 20 -> 9;
      case 21 -> 10;
      default -> throw new AssertionError(opset);
    };
  }

  @Test
  void opsets13To21AreWritten() throws Exception {
    for (int o = 13; o <= 21; o++) {
      ModelProto m = export(ExportOptions.defaults().opset(o));
      assertEquals(1, m.getOpsetImportCount());
      assertEquals("", m.getOpsetImport(0).getDomain());
      assertEquals(o, m.getOpsetImport(0).getVersion());
      assertEquals(irVersionOf(o), m.getIrVersion(), "ir_version for opset " + o);
      assertEquals(Integer.toString(o), meta(m).get("kiln.opset"));
    }
    assertEquals(17, export(ExportOptions.defaults()).getOpsetImport(0).getVersion());
  }

  @Test
  void opsetsOutsideTheRangeAreRejected() {
    for (int o : new int[] {12, 22}) {
      KilnException e = assertThrows(KilnException.class, () -> ExportOptions.defaults().opset(o));
      assertTrue(e.getMessage().contains("opset " + o) && e.getMessage().contains("13 to 21"), e.getMessage());
    }
  }

  private static List<String> dims(ValueInfoProto v) {
    return v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue())).toList();
  }

  @Test
  void batchIsADimParamOnInputAndOutput() throws Exception {
    ModelProto m = export(ExportOptions.defaults());
    assertEquals(List.of("x"), m.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(List.of("batch", "784"), dims(m.getGraph().getInput(0)));
    assertEquals(List.of("output"), m.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(List.of("batch", "10"), dims(m.getGraph().getOutput(0)));
    TensorShapeProto.Dimension d = m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0);
    assertTrue(d.hasDimParam() && !d.hasDimValue());
  }

  @Test
  void parameterNamesArePreservedAsInitializers() throws Exception {
    ModelProto m = export(ExportOptions.defaults());
    Map<String, List<Long>> inits = m.getGraph().getInitializerList().stream()
        .collect(Collectors.toMap(TensorProto::getName, TensorProto::getDimsList));
    assertEquals(Map.of("fc1.weight", List.of(784L, 256L), "fc1.bias", List.of(256L),
        "fc2.weight", List.of(256L, 10L), "fc2.bias", List.of(10L)), inits);
  }

  private static Map<String, String> meta(ModelProto m) {
    return m.getMetadataPropsList().stream()
        .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
  }

  @Test
  void provenance() throws Exception {
    ModelProto m = ModelProto.parseFrom(OnnxExporter.toBytes(Mlps.mlp(99).graph(), ExportOptions.defaults().opset(19)));
    assertEquals("kiln", m.getProducerName());
    assertEquals(Kiln.VERSION, m.getProducerVersion());
    Map<String, String> meta = meta(m);
    assertEquals(Kiln.VERSION, meta.get("kiln.version"));
    assertEquals("19", meta.get("kiln.opset"));
    assertEquals("99", meta.get("kiln.seed"));
  }

  @Test
  void userMetadataIsWritten() throws Exception {
    ModelProto m = export(ExportOptions.defaults().metadata("labels", "0,1,2,3,4,5,6,7,8,9"));
    assertEquals("0,1,2,3,4,5,6,7,8,9", meta(m).get("labels"));
  }
}
