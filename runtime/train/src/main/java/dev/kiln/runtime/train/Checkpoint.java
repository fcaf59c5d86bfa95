package dev.kiln.runtime.train;

import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer's state on disk: every variable (parameters and optimizer slots) with its dtype, shape and
 * little-endian bytes, the global step, the number of finished epochs (which fixes the next epoch's
 * shuffle, the RNG position) and the seed. Written atomically (temp file, fsync, rename).
 *
 * <p>Format: {@code KILNCKPT}, int version 1, long seed, long step, int epochs, int count, then per
 * variable: UTF name, UTF dtype, int rank, long[rank] dims, int byte count, bytes.
 */
record Checkpoint(long seed, long step, int epochs, Map<String, HostTensor> variables) {
  private static final String MAGIC = "KILNCKPT";
  private static final int VERSION = 1;

  void write(Path path) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBytes(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(seed);
      out.writeLong(step);
      out.writeInt(epochs);
      out.writeInt(variables.size());
      for (Map.Entry<String, HostTensor> e : variables.entrySet()) {
        HostTensor t = e.getValue();
        out.writeUTF(e.getKey());
        out.writeUTF(t.dtype().name());
        out.writeInt(t.rank());
        for (long d : t.shape()) out.writeLong(d);
        byte[] b = t.bytes();
        out.writeInt(b.length);
        out.write(b);
      }
    }
    AtomicFiles.write(path, bytes.toByteArray());
  }

  static Checkpoint read(Path path) throws IOException {
    try (InputStream raw = Files.newInputStream(path); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      byte[] magic = new byte[MAGIC.length()];
      in.readFully(magic);
      if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new KilnException(path + " is not a Kiln checkpoint (no " + MAGIC + " header)");
      }
      int version = in.readInt();
      if (version != VERSION) throw new KilnException(path + ": checkpoint version " + version + " is not supported (expected " + VERSION + ")");
      long seed = in.readLong();
      long step = in.readLong();
      int epochs = in.readInt();
      int n = in.readInt();
      Map<String, HostTensor> vars = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        DType d = DType.valueOf(in.readUTF());
        long[] shape = new long[in.readInt()];
        for (int k = 0; k < shape.length; k++) shape[k] = in.readLong();
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        vars.put(name, HostTensor.ofBytes(d, shape, b));
      }
      return new Checkpoint(seed, step, epochs, vars);
    } catch (java.io.EOFException e) {
      throw new KilnException(path + ": checkpoint is truncated", e);
    }
  }
}
