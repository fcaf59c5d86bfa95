package dev.kiln.cli;

import dev.kiln.runtime.train.Backends;
import picocli.CommandLine.Option;

/**
 * {@code --backend tensorflow|onnxruntime|auto} for the commands that train: it names the training back end the
 * trainers of this run pick ({@link Backends#find()} reads {@value Backends#PROPERTY}).
 */
final class BackendOption {
  @Option(names = "--backend", paramLabel = "NAME",
      description = "Training back end: tensorflow (default), onnxruntime (the train step as plain ONNX in ONNX Runtime), or auto "
          + "(the faster of the two for this model, timed on its first batch).")
  String backend;

  /** Makes the chosen back end the default of every trainer this process builds; checks that it exists. */
  void apply() {
    if (backend == null) return;
    Backends.named(backend);
    System.setProperty(Backends.PROPERTY, backend);
  }
}
