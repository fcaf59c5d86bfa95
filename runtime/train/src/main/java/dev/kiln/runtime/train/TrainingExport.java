package dev.kiln.runtime.train;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.compiler.passes.ExpandComposites;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a training step as a plain ONNX model that stock ONNX Runtime (or any ONNX runtime) can train with
 * (see {@code docs/onnx-training.md}): {@value #TRAIN_FILE}, one optimizer step per run, in {@code ai.onnx} ops
 * only, where every piece of state is a graph input <em>and</em> an initializer of the same name (its initial
 * value, so the file alone is trainable) and its next value a graph output; and {@value #MODEL_FILE}, the
 * inference model, whose parameter initializers carry the same names. The metadata says which output feeds
 * which input next time ({@value #META_STATE}), the data inputs ({@value #META_INPUTS}) and the loss
 * ({@value #META_LOSS}).
 */
public final class TrainingExport {
  /** File name of the training step. */
  public static final String TRAIN_FILE = "train_step.onnx";
  /** File name of the inference model. */
  public static final String MODEL_FILE = "model.onnx";
  /** Metadata key: JSON object, state input name → output name holding its next value. */
  public static final String META_STATE = "kiln.training.state";
  /** Metadata key: JSON list of the data input names (the model's inputs, then the labels). */
  public static final String META_INPUTS = "kiln.training.inputs";
  /** Metadata key: the loss output's name. */
  public static final String META_LOSS = "kiln.training.loss";

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingExport() {}

  /** The training step as ONNX, as in the file: each state is a graph input beside its initializer. */
  public static ModelProto toProto(TrainingGraph training, ExportOptions opts) { return toProto(training, opts, false); }

  /**
   * The training step as ONNX. {@code forBackend} false: {@code training}'s state inputs become graph inputs beside
   * their initializers (the file's form). True: every parameter becomes a plain graph input without an initializer,
   * as a back end that feeds all its variables wants (ONNX Runtime's Java API refuses to feed an input that has an
   * initializer).
   */
  public static ModelProto toProto(TrainingGraph training, ExportOptions opts, boolean forBackend) {
    checkExportable(training.graph(), opts.opset());
    ModelProto m = OnnxExporter.export(training.graph(), opts.trainingForm(true));
    Set<String> inputs = new LinkedHashSet<>(training.state().keySet());
    if (forBackend) training.graph().parameters().forEach(p -> inputs.add(p.name()));
    ModelProto.Builder b = withInputs(m, inputs, forBackend).toBuilder();
    List<String> data = new ArrayList<>(training.dataInputs());
    meta(b, META_STATE, json(training.state()));
    meta(b, META_INPUTS, json(data));
    meta(b, META_LOSS, TrainingGraph.LOSS);
    return b.build();
  }

  /** An inference (or evaluation) graph as ONNX with its parameters plain graph inputs (no initializers), for a back end to feed. */
  public static ModelProto withParameterInputs(Graph g, ExportOptions opts) {
    checkExportable(g, opts.opset());
    // NOTE: no input-affine fold: it rewrites the first layer's weights into the file, but here the back end feeds
    // the live (unfolded) weights at run time, which would then meet the raw, unstandardised input.
    ModelProto m = OnnxExporter.export(g, opts.foldInputAffine(false));
    Set<String> names = new LinkedHashSet<>();
    g.parameters().forEach(p -> names.add(p.name()));
    return withInputs(m, names, true);
  }

  /**
   * Writes {@value #TRAIN_FILE} (the self-contained step) and {@value #MODEL_FILE} ({@code inference}) into
   * {@code dir}. Both are built in memory and checked first, then each is written atomically, so a model Kiln
   * cannot export leaves no file behind.
   */
  public static void write(Path dir, TrainingGraph training, Graph inference, ExportOptions opts) {
    if (training.state().get(TrainingGraph.STEP_COUNT) == null) {
      throw new KilnException("write the self-contained form (TrainingGraph.selfContained): the file must count its own steps");
    }
    byte[] step = toProto(training, opts, false).toByteArray();
    checkExportable(inference, opts.opset());
    // NOTE: no input-affine fold: model.onnx's initializers must be the training state's own values under the
    // same names, so that trained values copied in from train_step.onnx's outputs are right.
    byte[] model = OnnxExporter.export(inference, opts.foldInputAffine(false)).toByteArray();
    try {
      Files.createDirectories(dir);
      AtomicFiles.write(dir.resolve(MODEL_FILE), model);
      AtomicFiles.write(dir.resolve(TRAIN_FILE), step);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training files into " + dir, e);
    }
  }

  /**
   * Writes {@code model}'s training step and inference model into {@code dir} ({@link #write(Path, TrainingGraph,
   * Graph, ExportOptions)}): {@code loss} over its output {@code output} against a label input {@code labels} of
   * {@code labelType}, {@code optimizer} at the rate {@code schedule} gives (computed in the graph from the step
   * counter, with epochs of {@code stepsPerEpoch} steps). The state starts at the model's initial values.
   */
  public static void write(Path dir, dev.kiln.dsl.Model model, Loss loss, String output, dev.kiln.spec.TensorType labelType,
                           Optimizer optimizer, GraphSchedule schedule, long stepsPerEpoch) {
    Graph lossGraph = TrainStep.lossGraph(model.graph(), loss, output, "labels", labelType, null);
    TrainStep step = TrainStep.compile(lossGraph, optimizer, null);
    write(dir, TrainingGraph.selfContained(step, schedule, stepsPerEpoch), model.evalGraph(),
        ExportOptions.defaults().metadata("kiln.training.optimizer", optimizer.describe()));
  }

  /**
   * Fails, before anything is written, with every node ONNX cannot express at {@code opset}: its op, its output
   * and the user's source line (a gradient node carries its forward node's line, marked backward).
   */
  public static void checkExportable(Graph g, int opset) {
    java.util.function.Predicate<Node> lacksForm =
        n -> n.op().isComposite() && (!n.op().onnx().isSupported() || n.op().onnx().formFor(opset).isEmpty());
    Graph expanded = ExpandComposites.any(g, lacksForm) ? ExpandComposites.run(g, lacksForm).graph() : g;
    List<String> problems = new ArrayList<>();
    for (Node n : expanded.nodes()) {
      String why = null;
      if (!n.op().onnx().isSupported()) {
        why = "not expressible in ONNX: " + n.op().onnx().unsupportedReason();
      } else if (n.op().onnx().formFor(opset).isEmpty()) {
        why = "needs opset >= " + n.op().onnx().minOpset();
      }
      if (why != null) problems.add(n.opName() + " at node '" + n.output().name() + "' (" + n.location() + "): " + why);
    }
    if (!problems.isEmpty()) {
      throw new UnsupportedOpException("cannot write the training step of " + g.name() + " as ONNX opset " + opset + ":\n  "
          + String.join("\n  ", problems));
    }
  }

  /**
   * {@code m} with a graph input for each named initializer (after the existing inputs), typed as the initializer;
   * with {@code dropInitializers} those initializers are removed (the inputs must then be fed).
   */
  public static ModelProto withInputs(ModelProto m, Set<String> names, boolean dropInitializers) {
    GraphProto.Builder g = m.getGraph().toBuilder();
    Set<String> existing = new LinkedHashSet<>();
    g.getInputList().forEach(i -> existing.add(i.getName()));
    for (TensorProto t : g.getInitializerList()) {
      if (!names.contains(t.getName()) || existing.contains(t.getName())) continue;
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (long d : t.getDimsList()) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      g.addInput(ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder()
          .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(s))));
    }
    if (dropInitializers) {
      List<TensorProto> keep = g.getInitializerList().stream().filter(t -> !names.contains(t.getName())).toList();
      g.clearInitializer().addAllInitializer(keep);
    }
    return m.toBuilder().setGraph(g).build();
  }

  private static void meta(ModelProto.Builder b, String key, String value) {
    for (int i = 0; i < b.getMetadataPropsCount(); i++) {
      if (b.getMetadataProps(i).getKey().equals(key)) {
        b.setMetadataProps(i, StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        return;
      }
    }
    b.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new KilnException("cannot write training metadata as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a JSON metadata value written by this class: a map for {@value #META_STATE}. */
  @SuppressWarnings("unchecked")
  public static Map<String, String> readStateMap(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new KilnException(META_STATE + " is not a JSON object of names: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON list of names ({@value #META_INPUTS}). */
  @SuppressWarnings("unchecked")
  public static List<String> readNameList(String json) {
    try {
      return JSON.readValue(json, List.class);
    } catch (JsonProcessingException e) {
      throw new KilnException(META_INPUTS + " is not a JSON list of names: " + e.getOriginalMessage(), e);
    }
  }
}
