package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.passes.ExpandComposites;
import dev.kiln.compiler.passes.FoldInputAffine;
import dev.kiln.compiler.passes.Passes;
import dev.kiln.compiler.passes.Verifier;
import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.spec.Dim;
import dev.kiln.spec.Kiln;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OnnxForm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes an IR graph as an ONNX ModelProto: verifies it, runs the export passes, lowers each node by
 * the highest ONNX form at or below the target opset, keeps value names, writes symbolic dims as
 * {@code dim_param} and records provenance in the metadata. A DSL model exports through its graph:
 *
 * <pre>{@code
 * OnnxExporter.write(model.graph(), Path.of("mlp.onnx"));                                  // opset 17
 * OnnxExporter.write(model.graph(), ExportOptions.defaults().opset(13), Path.of("mlp13.onnx"));
 * byte[] bytes = OnnxExporter.toBytes(model.graph());                                      // e.g. for ONNX Runtime
 * }</pre>
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  /** Exports with default options. */
  public static ModelProto export(Graph g) { return export(g, ExportOptions.defaults()); }

  private static boolean onlyDropoutReads(Graph g, Value v) {
    for (Node n : g.nodes()) if (n.inputs().contains(v) && !n.opName().equals("Dropout")) return false;
    return !g.outputs().contains(v);
  }

  /** Exports {@code original} as the options say (opset, metadata, composites); see the class comment for the steps. */
  public static ModelProto export(Graph original, ExportOptions opts) {
    Verifier.verify(original);
    Graph graph = expandComposites(original, opts);
    checkLowerable(graph, opts.opset());
    Graph g = opts.trainingForm() ? Passes.forTrainingExport(graph) : Passes.forExport(graph, opts.keepDropout());
    if (!opts.trainingForm() && opts.foldInputAffine()) g = FoldInputAffine.run(g);
    GraphProto.Builder gb = GraphProto.newBuilder().setName(g.name());
    Set<String> names = new HashSet<>();
    for (Value v : g.inputs()) {
      // NOTE: kept training-form Dropout reads the step in the IR (TF keys its masks by it); ONNX's Dropout draws
      // from ONNX Runtime's generator instead, so the step is no input of the ONNX model.
      if (opts.keepDropout() && v.name().equals(dev.kiln.spec.ir.TrainingForm.STEP) && onlyDropoutReads(g, v)) continue;
      gb.addInput(valueInfo(v));
      names.add(v.name());
    }
    for (Parameter p : g.parameters()) {
      gb.addInitializer(OnnxTensors.toProto(p.name(), p.initial()));
      names.add(p.name());
    }
    for (Node n : g.nodes()) for (Value v : n.outputs()) names.add(v.name());
    NodeEmitter emitter = new NodeEmitter(opts.opset(), gb, names);
    Set<Value> outputs = new HashSet<>(g.outputs());
    for (Node n : g.nodes()) {
      OnnxForm form = n.op().onnx().formFor(opts.opset()).orElseThrow();
      emitter.emitNode(n, form);
      for (Value v : n.outputs()) if (!outputs.contains(v)) gb.addValueInfo(valueInfo(v));
    }
    for (Value v : g.outputs()) gb.addOutput(valueInfo(v));

    ModelProto.Builder mb = ModelProto.newBuilder()
        .setIrVersion(opts.irVersion())
        .setProducerName("kiln")
        .setProducerVersion(Kiln.VERSION)
        .setGraph(gb)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opts.opset()));
    Map<String, String> meta = new TreeMap<>(g.metadata());
    meta.putAll(opts.metadata());
    meta.put("kiln.version", Kiln.VERSION);
    meta.put("kiln.opset", Integer.toString(opts.opset()));
    meta.forEach((k, v) -> mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return mb.build();
  }

  /**
   * Composites are written in their native ONNX form where the target opset has one, else (or when
   * the options ask for it) as their decomposition.
   */
  static Graph expandComposites(Graph g, ExportOptions opts) {
    java.util.function.Predicate<Node> expand = n -> opts.decomposeComposites() || !n.op().onnx().isSupported()
        || n.op().onnx().formFor(opts.opset()).isEmpty()
        || (!n.inputs().isEmpty() && n.input(0) != null && n.op().onnx().decomposes(n.input(0).type().dtype()))
        // A training step draws dropout masks with the hash every back end computes (Dropout's decomposition).
        || (opts.trainingForm() && n.op() instanceof dev.kiln.spec.ops.Dropout && n.attrs().getBool("training"));
    return ExpandComposites.any(g, expand) ? ExpandComposites.run(g, expand).graph() : g;
  }

  /** Exports and writes atomically to {@code path}. */
  public static void write(Graph g, ExportOptions opts, Path path) throws IOException {
    AtomicFiles.write(path, export(g, opts).toByteArray());
  }

  /** Exports with default options (opset 17) and writes atomically to {@code path}. */
  public static void write(Graph g, Path path) throws IOException { write(g, ExportOptions.defaults(), path); }

  /** The serialized ONNX model. */
  public static byte[] toBytes(Graph g, ExportOptions opts) { return export(g, opts).toByteArray(); }

  /** The serialized ONNX model with default options (opset 17). */
  public static byte[] toBytes(Graph g) { return toBytes(g, ExportOptions.defaults()); }

  /** Fails with every op the target opset cannot express, not just the first. */
  static void checkLowerable(Graph g, int opset) {
    Map<String, String> problems = new TreeMap<>();
    for (Node n : g.nodes()) {
      var lowering = n.op().onnx();
      if (!lowering.isSupported()) {
        problems.put(n.opName(), "not expressible in ONNX: " + lowering.unsupportedReason());
      } else if (lowering.formFor(opset).isEmpty()) {
        problems.put(n.opName(), "needs opset >= " + lowering.minOpset() + " (first at node '" + n.output().name()
            + "', " + n.location() + ")");
      }
    }
    if (!problems.isEmpty()) {
      StringBuilder b = new StringBuilder("cannot export graph " + g.name() + " to ONNX opset " + opset + ":");
      problems.forEach((op, why) -> b.append("\n  ").append(op).append(": ").append(why));
      throw new UnsupportedOpException(b.toString());
    }
  }

  static ValueInfoProto valueInfo(Value v) { return valueInfo(v.name(), v.type()); }

  static ValueInfoProto valueInfo(String name, TensorType t) {
    return ValueInfoProto.newBuilder().setName(name).setType(type(t)).build();
  }

  static TypeProto type(TensorType t) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (Dim d : t.shape().dims()) {
      TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
      if (d.isStatic()) db.setDimValue(d.size());
      else if (d.isSymbolic()) db.setDimParam(d.symbol());
      s.addDim(db);
    }
    return TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.dtype().onnxCode()).setShape(s)).build();
  }

  /** Lists the node protos of a model, for reports. */
  public static List<String> opTypes(ModelProto m) {
    List<String> out = new ArrayList<>();
    for (NodeProto n : m.getGraph().getNodeList()) out.add(n.getOpType());
    return out;
  }
}
