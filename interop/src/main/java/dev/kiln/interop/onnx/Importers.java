package dev.kiln.interop.onnx;

import dev.kiln.spec.op.OnnxForm;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node importers by ONNX op type (default domain). One-to-one ops come from the IR ops' declared
 * {@link Onnx.Simple} forms read backwards; the families register the ops whose ONNX forms changed over
 * the opsets or that need several IR nodes, and take precedence.
 */
public final class Importers {
  /** The lowest default-domain opset the importer reads. */
  public static final int MIN_OPSET = 1;
  /** The highest default-domain opset the importer reads. */
  public static final int MAX_OPSET = 21;

  private static final Map<String, NodeImporter> BY_TYPE = build();

  private Importers() {}

  private static Map<String, NodeImporter> build() {
    Map<String, NodeImporter> m = new TreeMap<>();
    for (Op op : OpRegistry.all()) {
      if (op.onnx() == null || !op.onnx().isSupported()) continue;
      OnnxForm newest = null;
      for (OnnxForm f : op.onnx().forms()) if (f instanceof Onnx.Simple) newest = f;
      if (newest != null) m.putIfAbsent(newest.opType(), new SimpleImporter(op, (Onnx.Simple) newest));
    }
    ConstantImporters.register(m);
    ShapeImporters.register(m);
    ReduceImporters.register(m);
    WindowImporters.register(m);
    ConvTransposeImporter.register(m);
    RecurrentImporters.register(m);
    PadImporter.register(m);
    MathImporters.register(m);
    CompositeImporters.register(m);
    NormImporters.register(m);
    WindowFunctionImporters.register(m);
    EinsumImporter.register(m);
    QuantImporters.register(m);
    DftImporter.register(m);
    IntegerImporters.register(m);
    OneHotImporter.register(m);
    CompressImporter.register(m);
    LossImporters.register(m);
    IndexImporters.register(m);
    RuntimeShapeImporters.register(m);
    LogicImporters.register(m);
    LayoutImporters.register(m);
    ResizeImporter.register(m);
    ControlFlowImporters.register(m);
    MatrixImporters.register(m);
    RoiAlignImporter.register(m);
    UniqueImporter.register(m);
    GridSampleImporter.register(m);
    RandomImporters.register(m);
    MaxUnpoolImporter.register(m);
    LegacyBroadcast.register(m); // last: wraps the importers of the binary ops
    return m;
  }

  /** The ops of ONNX's {@value TrainingImporters#DOMAIN} domain, by op type. */
  private static final Map<String, NodeImporter> TRAINING = TrainingImporters.all();

  /** The importer of a node (default or training domain), or null when Kiln cannot import it. */
  public static NodeImporter forNode(ai.onnx.proto.OnnxMl.NodeProto n) {
    String d = n.getDomain();
    if (d.isEmpty() || d.equals("ai.onnx")) return forType(n.getOpType());
    return d.equals(TrainingImporters.DOMAIN) ? TRAINING.get(n.getOpType()) : null;
  }

  /** The importer for an ONNX op type, or null when Kiln cannot import it. */
  public static NodeImporter forType(String opType) { return BY_TYPE.get(opType); }

  /** Every ONNX op type (default domain) Kiln imports. */
  public static Map<String, NodeImporter> all() { return Collections.unmodifiableMap(BY_TYPE); }
}
