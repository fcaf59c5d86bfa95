package dev.kiln.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads an ONNX model file into its protobuf, refusing files that are missing, truncated or not
 * ONNX at all with one clear message.
 */
final class OnnxFile {
  private OnnxFile() {}

  /** Parses and sanity-checks {@code path}. */
  static ModelProto read(Path path) {
    if (Files.isDirectory(path)) throw new ModelFileException(path + ": is a directory, not an ONNX model file");
    ModelProto m;
    try (InputStream in = Files.newInputStream(path)) {
      CodedInputStream cis = CodedInputStream.newInstance(in);
      // NOTE: protobuf caps a message at 64 MiB by default; ONNX files with inline weights reach 2 GiB.
      cis.setSizeLimit(Integer.MAX_VALUE);
      m = ModelProto.parseFrom(cis);
    } catch (NoSuchFileException e) {
      throw new ModelFileException(path + ": no such file");
    } catch (InvalidProtocolBufferException e) {
      String why = e.getMessage() != null && e.getMessage().contains("ended unexpectedly")
          ? "the file is truncated" : "corrupt protobuf: " + firstSentence(e.getMessage());
      throw new ModelFileException(path + ": not a valid ONNX model (" + why + ")");
    } catch (IOException e) {
      throw new ModelFileException(path + ": cannot read: " + e.getMessage(), e);
    }
    // Random bytes can parse as a protobuf of unknown fields, so insist on what every ONNX model has.
    if (m.getIrVersion() <= 0 || !m.hasGraph() || m.getOpsetImportCount() == 0) {
      throw new ModelFileException(path + ": not an ONNX model (no ir_version, graph or opset_import)");
    }
    return m;
  }

  private static String firstSentence(String s) {
    if (s == null) return "unreadable";
    int dot = s.indexOf(". ");
    return (dot < 0 ? s : s.substring(0, dot)).replaceAll("\\.$", "");
  }
}
