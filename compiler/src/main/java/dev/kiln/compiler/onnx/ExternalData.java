package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.kiln.compiler.io.ConfinedFile;
import dev.kiln.compiler.io.ReadLimits;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a tensor whose bytes live in an external file. Only files inside the model's own folder are read,
 * opened through {@link ConfinedFile} (each path component opened without following links, then the file
 * verified by identity: regular, one hard link, unchanged while read): absolute paths, {@code ..}, symbolic
 * links and files with several hard links are refused (each could expose a file outside it). Offset and
 * length are checked against the file size, the tensor's shape and the {@link ReadLimits} before anything
 * is allocated, and unknown keys are refused. Both the importer and the ONNX Runtime engine read external
 * data only through here.
 */
public final class ExternalData {
  private static final Set<String> KEYS = Set.of("location", "offset", "length", "checksum");

  private ExternalData() {}

  /** The tensor {@code p} with its bytes read from {@code baseDir}; {@code baseDir} null refuses external data. */
  public static HostTensor read(TensorProto p, Path baseDir, ReadLimits limits) {
    String name = "tensor '" + p.getName() + "'";
    if (baseDir == null) throw new ModelFileException(name + " keeps its data in an external file; load the model from a file in its folder");
    String location = null;
    long offset = 0;
    long length = -1;
    for (StringStringEntryProto e : p.getExternalDataList()) {
      if (!KEYS.contains(e.getKey())) throw new ModelFileException(name + ": unknown external_data key '" + e.getKey() + "'");
      try {
        switch (e.getKey()) {
          case "location" -> location = e.getValue();
          case "offset" -> offset = Long.parseLong(e.getValue());
          case "length" -> length = Long.parseLong(e.getValue());
          default -> { } // checksum: informational
        }
      } catch (NumberFormatException ex) {
        throw new ModelFileException(name + ": external_data " + e.getKey() + " '" + e.getValue() + "' is not a number");
      }
    }
    if (location == null || location.isEmpty()) throw new ModelFileException(name + ": external_data has no location");
    DType dtype;
    try {
      dtype = DType.fromOnnx(p.getDataType());
    } catch (KilnException e) {
      throw new dev.kiln.spec.UnsupportedOpException(name + ": " + e.getMessage());
    }
    long[] shape = p.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long bytes;
    try {
      bytes = Math.multiplyExact(HostTensor.count(shape), dtype.byteSize());
    } catch (KilnException | ArithmeticException e) {
      throw new ModelFileException(name + " has an invalid shape " + p.getDimsList());
    }
    if (offset < 0) throw new ModelFileException(name + ": negative external_data offset " + offset);
    if (length >= 0 && length != bytes) {
      throw new ModelFileException(name + " of " + dtype + p.getDimsList() + " needs " + bytes + " bytes, external_data length says " + length);
    }
    limits.checkTensorBytes(name, bytes);
    if (bytes > Integer.MAX_VALUE - 8) throw new ModelFileException(name + " is too large (" + bytes + " bytes) for one tensor");
    String file = name + ": external file '" + location + "'";
    try (ConfinedFile.Opened f = ConfinedFile.open(baseDir, location, file)) {
      SeekableByteChannel ch = f.channel();
      long size = ch.size();
      if (offset > size || bytes > size - offset) {
        throw new ModelFileException(file + " has " + size + " bytes, offset " + offset + " + length " + bytes + " runs past its end");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      ch.position(offset);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) throw new ModelFileException(file + " ended early");
      }
      f.verifyUnchanged();
      buf.flip();
      return HostTensor.ofBuffer(dtype, shape, buf);
    } catch (IOException e) {
      throw new ModelFileException(file + " cannot be read: " + e.getMessage(), e);
    }
  }
}
