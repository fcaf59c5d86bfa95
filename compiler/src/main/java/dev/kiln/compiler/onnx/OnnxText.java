package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A ModelProto as protobuf text format with volatile fields normalised, for golden tests:
 * {@code producer_version} and the {@code kiln.version} metadata become {@code <version>}, node
 * {@code doc_string}s (source lines) are dropped, and every initializer's {@code raw_data} (and any
 * node attribute tensor's over {@value #INLINE_BYTES} bytes) is replaced by a digest in the tensor's
 * {@code doc_string}, e.g. {@code raw_data: 1024 bytes, sha256 0123456789abcdef}. Goldens stay small
 * yet still change when a weight does.
 */
public final class OnnxText {
  /** Attribute tensors up to this many bytes keep their data inline in the text. */
  public static final int INLINE_BYTES = 64;
  static final String VERSION = "<version>";

  private OnnxText() {}

  /** The normalised text form of {@code model}. */
  public static String of(ModelProto model) {
    return TextFormat.printer().printToString(normalise(model));
  }

  /** The model with its volatile fields normalised (see the class comment). */
  public static ModelProto normalise(ModelProto model) {
    ModelProto.Builder m = model.toBuilder();
    if (m.hasProducerVersion()) m.setProducerVersion(VERSION);
    for (int i = 0; i < m.getMetadataPropsCount(); i++) {
      StringStringEntryProto e = m.getMetadataProps(i);
      if (e.getKey().equals("kiln.version")) m.setMetadataProps(i, e.toBuilder().setValue(VERSION));
    }
    if (m.hasGraph()) m.setGraph(normalise(m.getGraph()));
    return m.build();
  }

  private static GraphProto normalise(GraphProto g) {
    GraphProto.Builder b = g.toBuilder();
    for (int i = 0; i < b.getInitializerCount(); i++) b.setInitializer(i, digest(b.getInitializer(i)));
    for (int i = 0; i < b.getNodeCount(); i++) b.setNode(i, normalise(b.getNode(i)));
    return b.build();
  }

  private static NodeProto normalise(NodeProto n) {
    NodeProto.Builder b = n.toBuilder().clearDocString();
    for (int i = 0; i < b.getAttributeCount(); i++) {
      AttributeProto.Builder a = b.getAttribute(i).toBuilder();
      if (a.hasT() && a.getT().getRawData().size() > INLINE_BYTES) a.setT(digest(a.getT()));
      if (a.hasG()) a.setG(normalise(a.getG()));
      for (int k = 0; k < a.getGraphsCount(); k++) a.setGraphs(k, normalise(a.getGraphs(k)));
      b.setAttribute(i, a);
    }
    return b.build();
  }

  /** The tensor with raw_data replaced by its size and the first 16 hex digits of its SHA-256. */
  static TensorProto digest(TensorProto t) {
    if (!t.hasRawData()) return t;
    ByteString raw = t.getRawData();
    return t.toBuilder().clearRawData()
        .setDocString("raw_data: " + raw.size() + " bytes, sha256 " + sha256(raw).substring(0, 16)).build();
  }

  private static String sha256(ByteString data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
