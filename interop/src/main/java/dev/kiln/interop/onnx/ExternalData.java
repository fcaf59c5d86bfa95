package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Reads a tensor whose bytes live in an external file. Only files inside the model's own folder are read:
 * absolute paths, {@code ..}, symbolic links and files with several hard links are refused (each could
 * expose a file outside it), offset and length are checked against the file size and the tensor's
 * shape before anything is allocated, and unknown keys are refused.
 */
final class ExternalData {
  private static final Set<String> KEYS = Set.of("location", "offset", "length", "checksum");

  private ExternalData() {}

  static HostTensor read(TensorProto p, Path baseDir) {
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
    if (bytes > Integer.MAX_VALUE - 8) throw new ModelFileException(name + " is too large (" + bytes + " bytes) for one tensor");
    Path file = resolve(location, baseDir, name);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (offset > size || bytes > size - offset) {
        throw new ModelFileException(name + ": external file " + location + " has " + size + " bytes, offset " + offset
            + " + length " + bytes + " runs past its end");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) throw new ModelFileException(name + ": external file " + location + " ended early");
      }
      buf.flip();
      return HostTensor.ofBuffer(dtype, shape, buf);
    } catch (IOException e) {
      throw new ModelFileException(name + ": cannot read external file " + location + ": " + e.getMessage(), e);
    }
  }

  private static Path resolve(String location, Path baseDir, String name) {
    Path rel;
    try {
      rel = Path.of(location);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ModelFileException(name + ": external_data location '" + location + "' is not a valid path");
    }
    if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
      throw new ModelFileException(name + ": external_data location '" + location + "' is absolute; only files in the model's folder are read");
    }
    for (Path part : rel) {
      if (part.toString().equals("..")) {
        throw new ModelFileException(name + ": external_data location '" + location + "' leaves the model's folder (..)");
      }
    }
    try {
      Path base = baseDir.toRealPath();
      Path file = base.resolve(rel).normalize();
      if (!file.startsWith(base)) throw new ModelFileException(name + ": external_data location '" + location + "' leaves the model's folder");
      // Every component below the folder must be a plain entry: a link anywhere could point outside.
      Path p = base;
      for (Path part : rel) {
        p = p.resolve(part);
        if (Files.isSymbolicLink(p)) throw new ModelFileException(name + ": external_data location '" + location + "' goes through a symbolic link");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new ModelFileException(name + ": external file '" + location + "' does not exist or is not a regular file");
      }
      Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      if (links instanceof Integer n && n > 1) {
        throw new ModelFileException(name + ": external file '" + location + "' has " + n + " hard links; refused");
      }
      return file;
    } catch (IOException e) {
      throw new ModelFileException(name + ": cannot check external file '" + location + "': " + e.getMessage(), e);
    } catch (UnsupportedOperationException e) {
      return baseDir.resolve(rel); // no unix attributes on this file system: the other checks still held
    }
  }
}
