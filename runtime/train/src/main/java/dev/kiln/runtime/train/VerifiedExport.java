package dev.kiln.runtime.train;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Function;

/**
 * Export that lands only when ONNX Runtime agrees: the file is written beside the target under a temporary name,
 * run on a sample in the {@link OnnxRunner} on the class path, compared with the training back end's own output,
 * and moved into place (atomically, replacing an earlier file) only then. On any failure the temporary file goes
 * and an earlier file at the target stays as it was.
 */
final class VerifiedExport {
  private VerifiedExport() {}

  /** The max absolute difference of the two engines' {@code output}; see {@link Trainer#exportAndVerify}. */
  static double write(Graph graph, Path onnx, Map<String, HostTensor> feed, String output,
                      Function<Map<String, HostTensor>, HostTensor> own, String ownName, OutputAgreement tolerance) {
    Path unverified = onnx.resolveSibling("." + onnx.getFileName() + ".unverified-" + ProcessHandle.current().pid() + ".onnx");
    try {
      OnnxExporter.write(graph, unverified);
      double[] ort = Backends.onnxRunner().run(unverified, feed).get(output).toDoubles();
      double[] mine = own.apply(feed).toDoubles();
      OutputAgreement t = tolerance != null ? tolerance : OutputAgreement.defaults(mine);
      double max = t.check(ort, mine, "exported model " + onnx + " (ONNX Runtime) disagrees with " + ownName);
      Files.move(unverified, onnx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return max;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + onnx, e);
    } finally {
      try {
        Files.deleteIfExists(unverified);
      } catch (IOException ignored) {
        // best effort: the failure being reported matters more than a leftover temporary file
      }
    }
  }
}
