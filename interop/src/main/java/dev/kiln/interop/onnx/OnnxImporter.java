package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.compiler.onnx.ExternalData;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX → IR: reads a {@code ModelProto} (default domain, opsets {@value Importers#MIN_OPSET} to
 * {@value Importers#MAX_OPSET}) into an IR {@link Graph}. Initializers become parameters (frozen unless
 * {@link ImportOptions} says otherwise) with their names; shape computations on constants fold away.
 * A model with ops Kiln lacks is refused with one error listing them all; a malformed model gives a
 * {@link ModelFileException} naming the node, op and opset.
 */
public final class OnnxImporter {
  /** Files above this size are refused before reading (protobuf's own limit is 2 GiB). */
  public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 8L;
  /** Static dims above this are taken as corrupt rather than allocated. */
  public static final long MAX_DIM = 1L << 40;

  private OnnxImporter() {}

  /** Imports a model file; external data is read from the file's folder only. */
  public static Graph importFile(Path file, ImportOptions options) {
    return importModel(read(file), file.toAbsolutePath().getParent(), options);
  }

  /** Imports a model held in memory (external data is refused: there is no folder to read it from). */
  public static Graph importBytes(byte[] bytes, ImportOptions options) { return importModel(parse(bytes, "model bytes"), null, options); }

  /** Parses and minimally validates a model file. */
  public static ModelProto read(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_MODEL_BYTES) throw new ModelFileException(file + ": " + size + " bytes is larger than an ONNX protobuf can be");
      return parse(Files.readAllBytes(file), file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ModelFileException(file + ": no such file", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new ModelFileException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new ModelFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses model bytes; anything that is not a protobuf ModelProto with a graph is a {@link ModelFileException}. */
  public static ModelProto parse(byte[] bytes, String what) {
    ModelProto m;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setRecursionLimit(64);
      m = ModelProto.parseFrom(in);
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new ModelFileException(what + ": not an ONNX model (truncated or not a protobuf ModelProto): " + e.getMessage());
    } catch (IOException e) {
      throw new ModelFileException(what + ": cannot parse: " + e.getMessage(), e);
    }
    if (m.getIrVersion() <= 0 || !m.hasGraph()) {
      throw new ModelFileException(what + ": not an ONNX model (no ir_version or no graph; wrong file type?)");
    }
    return m;
  }

  /** The model's default-domain opset; an error when it lacks one or Kiln does not read it. */
  public static int opset(ModelProto m) {
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        long v = o.getVersion();
        if (v < Importers.MIN_OPSET || v > Importers.MAX_OPSET) {
          throw new UnsupportedOpException("model uses default-domain opset " + v + "; Kiln imports opsets "
              + Importers.MIN_OPSET + " to " + Importers.MAX_OPSET);
        }
        return (int) v;
      }
    }
    Set<String> domains = new java.util.TreeSet<>();
    for (NodeProto n : m.getGraph().getNodeList()) domains.add(n.getDomain());
    if (domains.equals(Set.of(TrainingImporters.DOMAIN))) {
      // A graph of training-domain ops only (ONNX's optimizer test models) imports no default opset; the
      // domain came with ONNX opset 12, which is what its default-domain semantics (none used) are read as.
      return TrainingImporters.DEFAULT_OPSET;
    }
    if (!domains.isEmpty() && !domains.contains("") && !domains.contains("ai.onnx")) {
      Map<String, Integer> ops = new TreeMap<>();
      for (NodeProto n : m.getGraph().getNodeList()) ops.merge(n.getDomain() + ":" + n.getOpType(), 1, Integer::sum);
      throw new UnsupportedOpException("model uses only ops of other domains, which Kiln cannot import: " + ops);
    }
    throw new ModelFileException("model imports no default-domain (ai.onnx) opset");
  }

  /** ONNX op types the model uses that Kiln cannot import, as {@code "Type (opset N): count"}; empty when all can. */
  public static Map<String, Integer> unsupportedOps(ModelProto m, int opset) {
    SubgraphProtos.checkNesting(m.getGraph(), 0, opset);
    Map<String, Integer> missing = new TreeMap<>();
    unsupportedOps(m.getGraph(), opset, missing);
    return missing;
  }

  /** Adds the unsupported ops of {@code g} and of its subgraphs (nesting checked first) to {@code missing}. */
  private static void unsupportedOps(GraphProto g, int opset, Map<String, Integer> missing) {
    for (NodeProto n : g.getNodeList()) {
      for (GraphProto sub : SubgraphProtos.of(n)) unsupportedOps(sub, opset, missing);
      boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
      if (Importers.forNode(n) == null) {
        String key = (defaultDomain ? "" : n.getDomain() + ":") + n.getOpType() + " (opset " + opset + ")";
        missing.merge(key, 1, Integer::sum);
      }
    }
  }

  /** Imports a parsed model; {@code baseDir} is the folder external data may be read from (or null). */
  public static Graph importModel(ModelProto m, Path baseDir, ImportOptions options) {
    int opset = opset(m);
    GraphProto g = m.getGraph();
    Map<String, Integer> missing = unsupportedOps(m, opset);
    if (!missing.isEmpty()) throw ImportErrors.unsupportedOps(g, opset, missing);
    if (g.getSparseInitializerCount() > 0) throw new UnsupportedOpException("sparse initializers are not supported");
    options.limits().checkNodes("the graph", g.getNodeCount());
    List<NodeProto> nodes = GraphChecks.sorted(g, opset);
    for (NodeProto n : nodes) NodeInputs.check(n, opset);
    String name = options.graphName() != null ? options.graphName() : g.getName().isBlank() ? "onnx_model" : g.getName();
    GraphBuilder b = new GraphBuilder(name);
    ImportContext ctx = new ImportContext(b, opset, options);
    Set<String> initNames = new HashSet<>();
    long totalBytes = 0;
    for (TensorProto t : g.getInitializerList()) {
      if (!initNames.add(t.getName())) throw new ModelFileException("initializer '" + t.getName() + "' is defined twice");
      HostTensor value = tensor(t, baseDir, options.limits());
      totalBytes += value.size() * value.dtype().byteSize();
      options.limits().checkTotalBytes("the model's initializers", totalBytes);
      ctx.bindInitializer(t.getName(), value);
    }
    for (ValueInfoProto in : g.getInputList()) {
      if (initNames.contains(in.getName())) continue; // IR < 4: initializers are listed as inputs with defaults
      if (ctx.isBound(in.getName())) throw new ModelFileException("graph input '" + in.getName() + "' is listed twice");
      TensorType type;
      try {
        type = type(in);
      } catch (KilnException e) {
        throw ImportErrors.graphInput(g, opset, in.getName(), e);
      }
      ctx.bindInput(in.getName(), b.input(in.getName(), type));
    }
    importNodes(nodes, ctx);
    for (ValueInfoProto out : g.getOutputList()) {
      Value v = ctx.toValue(ctx.lookup(out.getName()));
      b.output(out.getName(), v);
    }
    b.metadata("source", "onnx");
    if (!m.getProducerName().isEmpty()) b.metadata("onnx.producer", m.getProducerName());
    b.metadata("onnx.opset", String.valueOf(opset));
    return b.build();
  }

  /** Imports {@code nodes} (sorted, inputs checked) into {@code ctx}: the top-level graph or a subgraph. */
  static void importNodes(List<NodeProto> nodes, ImportContext ctx) {
    for (NodeProto n : nodes) {
      ctx.setNode(n);
      try {
        Importers.forNode(n).importNode(n, ctx);
      } catch (KilnException e) {
        throw ctx.wrap(e);
      } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException | ClassCastException e) {
        throw ctx.fail("cannot import: " + plain(e));
      }
      for (String o : n.getOutputList()) {
        if (!o.isEmpty() && !ctx.isBound(o)) throw ctx.unsupported("output '" + o + "' is not supported");
      }
    }
  }

  /** What went wrong, in words rather than a Java exception's class name. */
  private static String plain(RuntimeException e) {
    String m = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    if (e instanceof ArithmeticException) return "a size or index overflows" + m;
    if (e instanceof IndexOutOfBoundsException) return "an index, axis or input position is out of range" + m;
    if (e instanceof ClassCastException) return "an attribute or input is of the wrong kind";
    return e.getMessage() == null ? "invalid attribute or input" : e.getMessage();
  }

  private static HostTensor tensor(TensorProto t, Path baseDir, dev.kiln.compiler.io.ReadLimits limits) {
    try {
      DType.fromOnnx(t.getDataType());
    } catch (KilnException e) {
      throw new UnsupportedOpException("initializer '" + t.getName() + "': " + e.getMessage());
    }
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) return ExternalData.read(t, baseDir, limits);
    for (long d : t.getDimsList()) {
      if (d < 0 || d > MAX_DIM) throw new ModelFileException("initializer '" + t.getName() + "' has an invalid dim " + d + " in " + t.getDimsList());
    }
    try {
      return OnnxTensors.fromProto(t);
    } catch (ModelFileException e) {
      throw new ModelFileException("initializer " + e.getMessage().replaceFirst("^tensor ", ""), e);
    }
  }

  /** The IR type of a graph input: dim_value → static, dim_param → symbolic, neither → unknown. */
  static TensorType type(ValueInfoProto v) {
    TypeProto t = v.getType();
    if (!t.hasTensorType()) throw new UnsupportedOpException("graph input '" + v.getName() + "' is not a tensor (" + t.getValueCase() + ")");
    DType dtype;
    try {
      dtype = DType.fromOnnx(t.getTensorType().getElemType());
    } catch (KilnException e) {
      throw new UnsupportedOpException("graph input '" + v.getName() + "': " + e.getMessage());
    }
    if (!t.getTensorType().hasShape()) throw new UnsupportedOpException("graph input '" + v.getName() + "' has no shape (unknown rank)");
    List<Dim> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : t.getTensorType().getShape().getDimList()) {
      if (d.hasDimValue()) {
        long s = d.getDimValue();
        if (s < 0 || s > MAX_DIM) throw new ModelFileException("graph input '" + v.getName() + "' has an invalid dim " + s);
        dims.add(Dim.of(s));
      } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
        dims.add(Dim.symbolic(d.getDimParam()));
      } else {
        dims.add(Dim.unknown());
      }
    }
    return new TensorType(dtype, Shape.of(dims));
  }
}
