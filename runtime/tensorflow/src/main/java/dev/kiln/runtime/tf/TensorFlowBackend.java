package dev.kiln.runtime.tf;

import dev.kiln.runtime.train.Backend;
import dev.kiln.runtime.train.TrainStep;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.util.Map;

/**
 * TensorFlow-Java as a training {@link Backend}: sessions are {@link TfTrainSession}s, one-off runs
 * {@link TfModel}s. Registered as a {@link java.util.ServiceLoader} provider, so a trainer finds it on the
 * class path; {@link #instance()} names it explicitly ({@code TrainerBuilder.backend(TensorFlowBackend.instance())}).
 */
public final class TensorFlowBackend implements Backend {
  private static final TensorFlowBackend INSTANCE = new TensorFlowBackend();

  /** For the service loader; use {@link #instance()}. */
  public TensorFlowBackend() {}

  /** The back end. */
  public static TensorFlowBackend instance() { return INSTANCE; }

  @Override public String name() { return "tensorflow"; }

  /** The default when ONNX Runtime's back end is on the class path too (it is in most applications). */
  @Override public int priority() { return 100; }

  /** Loads TensorFlow's native library on a background thread ({@link TfPreload}). */
  @Override public void preload() { TfPreload.start(); }

  @Override public TfTrainSession open(TrainStep step, Graph evalGraph) { return TfTrainSession.open(step, evalGraph); }

  @Override public Map<String, HostTensor> run(Graph graph, Map<String, HostTensor> feed) {
    try (TfModel m = TfModel.load(graph)) {
      return m.run(feed);
    }
  }

  @Override public String toString() { return name(); }
}
