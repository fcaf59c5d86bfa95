package dev.kiln.samples.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The folder a fuzzed ONNX model lives in, with external-data bait: a good data file, one in a subfolder, a
 * symbolic link and a hard link to a secret file outside the folder, a linked folder, a FIFO. The secret holds
 * a sentinel value, so a model that imports with the sentinel in any tensor proves a read outside the folder.
 */
final class FuzzFolder {
  /** 1234.5f: what every float of the secret file holds. */
  static final float SENTINEL = 1234.5f;

  /** External-data locations the ONNX mutator picks from. */
  static final List<String> LOCATIONS = List.of("w.bin", "sub/w.bin", "./w.bin", "sub//w.bin", "link.bin", "hard.bin",
      "linkdir/secret.bin", "../outside/secret.bin", "sub/../../outside/secret.bin", "/etc/passwd", "file:///etc/passwd",
      "fifo", "missing.bin", "", "w.bin\0.x", "sub", "C:\\secret.bin", "..\\outside\\secret.bin", "linkdir");

  final Path model;
  final Path secret;

  FuzzFolder(Path root) throws IOException {
    Path outside = Files.createDirectories(root.resolve("outside"));
    secret = outside.resolve("secret.bin");
    ByteBuffer s = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    while (s.hasRemaining()) s.putFloat(SENTINEL);
    Files.write(secret, s.array());
    Path dir = Files.createDirectories(root.resolve("model"));
    ByteBuffer w = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    while (w.hasRemaining()) w.putFloat(0.5f);
    Files.write(dir.resolve("w.bin"), w.array());
    Files.write(Files.createDirectories(dir.resolve("sub")).resolve("w.bin"), w.array());
    Files.createSymbolicLink(dir.resolve("link.bin"), secret);
    Files.createSymbolicLink(dir.resolve("linkdir"), outside);
    Files.createLink(dir.resolve("hard.bin"), secret);
    try {
      new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor();
    } catch (IOException | InterruptedException e) {
      // no mkfifo: the location then names a missing file, which is refused too
    }
    model = dir.resolve("model.onnx");
  }

  /** Whether {@code littleEndian} holds the sentinel at a float boundary. */
  static boolean holdsSentinel(byte[] littleEndian) {
    ByteBuffer b = ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= littleEndian.length; i += 4) if (b.getFloat(i) == SENTINEL) return true;
    return false;
  }
}
