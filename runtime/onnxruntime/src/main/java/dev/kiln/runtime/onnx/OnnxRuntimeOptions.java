package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kiln.spec.KilnException;

/** Where and how ONNX Runtime runs a model: CPU (default) or CUDA (needs the onnxruntime_gpu artifact, {@code -Pgpu}). */
public final class OnnxRuntimeOptions {
  private final boolean cuda;
  private final int cudaDevice;
  private final int intraOpThreads;

  private OnnxRuntimeOptions(boolean cuda, int cudaDevice, int intraOpThreads) {
    this.cuda = cuda;
    this.cudaDevice = cudaDevice;
    this.intraOpThreads = intraOpThreads;
  }

  public static OnnxRuntimeOptions cpu() { return new OnnxRuntimeOptions(false, 0, 0); }

  public static OnnxRuntimeOptions cuda(int device) { return new OnnxRuntimeOptions(true, device, 0); }

  /** Threads for one op (0 = ONNX Runtime's default). */
  public OnnxRuntimeOptions intraOpThreads(int n) { return new OnnxRuntimeOptions(cuda, cudaDevice, n); }

  OrtSession.SessionOptions toSessionOptions() {
    if (!cuda) OrtSelfCheck.ensureChecked();  // before the first CPU session; may turn optimisations off
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (intraOpThreads > 0) so.setIntraOpNumThreads(intraOpThreads);
      if (!cuda && OrtSelfCheck.unoptimised()) so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      if (cuda) so.addCUDA(cudaDevice);
      return so;
    } catch (OrtException e) {
      so.close();
      throw new KilnException("cannot set up ONNX Runtime" + (cuda ? " on CUDA device " + cudaDevice
          + " (build with -Pgpu for the onnxruntime_gpu artifact)" : "") + ": " + e.getMessage(), e);
    }
  }
}
