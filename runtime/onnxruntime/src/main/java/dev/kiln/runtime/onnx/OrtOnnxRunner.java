package dev.kiln.runtime.onnx;

import dev.kiln.runtime.train.OnnxRunner;
import dev.kiln.spec.HostTensor;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime as the training layer's {@link OnnxRunner} (a {@link java.util.ServiceLoader} provider). */
public final class OrtOnnxRunner implements OnnxRunner {
  @Override public Map<String, HostTensor> run(Path model, Map<String, HostTensor> feed) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      return m.run(feed);
    }
  }
}
