package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs an exported ONNX file, for {@link Trainer#exportAndVerify}. The ONNX Runtime module provides one as a
 * {@link java.util.ServiceLoader} provider ({@code META-INF/services/dev.kiln.runtime.train.OnnxRunner});
 * {@link Backends#onnxRunner()} finds it.
 */
public interface OnnxRunner {
  /** Loads {@code model}, runs it on {@code feed} and returns every output by name. */
  Map<String, HostTensor> run(Path model, Map<String, HostTensor> feed);
}
