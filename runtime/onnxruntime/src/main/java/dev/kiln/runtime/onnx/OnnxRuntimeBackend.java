package dev.kiln.runtime.onnx;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.runtime.train.Backend;
import dev.kiln.runtime.train.TrainSession;
import dev.kiln.runtime.train.TrainStep;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.util.Map;

/**
 * ONNX Runtime as a training back end ({@code -Dkiln.backend=onnxruntime}, {@code TrainerBuilder.backend("onnxruntime")}):
 * the train step is exported as a plain ONNX model (standard ops only: forward, loss, every VJP, the optimizer
 * update) and run by stock ONNX Runtime, with the state kept in ONNX Runtime values between steps
 * ({@link OrtTrainSession}). Its variables are the TensorFlow back end's (same names, same values), so
 * checkpoints move between the two.
 */
public final class OnnxRuntimeBackend implements Backend {
  /** The name {@code -Dkiln.backend} selects it by. */
  public static final String NAME = "onnxruntime";

  private final OnnxRuntimeOptions options;

  /**
   * The service-loader constructor: on the device {@code -Dkiln.device} names ({@link OrtDevices}: the CPU with ONNX
   * Runtime's default threads unless {@code cuda[:N]}, which is checked to be usable here first).
   */
  public OnnxRuntimeBackend() { this(OrtDevices.fromProperty()); }

  /** With the given session options (e.g. {@link OnnxRuntimeOptions#cuda(int)} with the GPU artifact). */
  public OnnxRuntimeBackend(OnnxRuntimeOptions options) { this.options = options; }

  @Override public String name() { return NAME; }

  /** Loads ONNX Runtime's native library on a background thread ({@link OrtPreload}). */
  @Override public void preload() { OrtPreload.start(); }

  @Override public TrainSession open(TrainStep step, Graph evalGraph) { return OrtTrainSession.open(step, evalGraph, options); }

  @Override public Map<String, HostTensor> run(Graph graph, Map<String, HostTensor> feed) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(OnnxExporter.toBytes(graph), options)) {
      return m.run(feed);
    }
  }
}
