package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.kiln.spec.KilnException;
import java.util.Locale;

/**
 * Which device the ONNX Runtime back end trains on: {@value #PROPERTY} = {@code cpu} (default) or {@code cuda[:N]}
 * (the CLI's {@code --device}). CUDA needs two things this class checks before anything runs, so that a missing one
 * is one line, not a failure deep inside the first step: ONNX Runtime's GPU build on the class path (the
 * {@code com.microsoft.onnxruntime:onnxruntime_gpu} artifact, {@code mvn -Pgpu}) and a CUDA device it can open.
 */
public final class OrtDevices {
  /** System property naming the device: {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static final String PROPERTY = "kiln.device";

  private OrtDevices() {}

  /**
   * The CUDA device index {@code spec} names ({@code cuda} = 0, {@code cuda:N} = N), -1 for {@code cpu} or null.
   *
   * @throws KilnException for anything else
   */
  public static int parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("cpu")) return -1;
    String s = spec.toLowerCase(Locale.ROOT);
    if (s.equals("cuda")) return 0;
    if (s.startsWith("cuda:")) {
      try {
        int n = Integer.parseInt(s.substring(5));
        if (n >= 0) return n;
      } catch (NumberFormatException ignored) {
        // falls through to the error below
      }
    }
    throw new KilnException("device '" + spec + "' is not one of cpu, cuda, cuda:N");
  }

  /** Why CUDA device {@code device} cannot run ONNX Runtime here, or null when it can. */
  public static String cudaUnavailable(int device) {
    var providers = OrtEnvironment.getAvailableProviders();
    if (!providers.contains(OrtProvider.CUDA)) {
      return "this ONNX Runtime has no CUDA execution provider (it has " + providers + "): build with -Pgpu, which puts "
          + "com.microsoft.onnxruntime:onnxruntime_gpu in place of onnxruntime, on a machine with an NVIDIA GPU and CUDA 12";
    }
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.addCUDA(device);
      return null;
    } catch (OrtException | RuntimeException e) {
      return "ONNX Runtime cannot open CUDA device " + device + ": " + e.getMessage();
    }
  }

  /** The session options {@value #PROPERTY} asks for: the CPU, or the CUDA device after checking it is there. */
  public static OnnxRuntimeOptions fromProperty() {
    int device = parse(System.getProperty(PROPERTY));
    if (device < 0) return OnnxRuntimeOptions.cpu();
    String why = cudaUnavailable(device);
    if (why != null) throw new KilnException("--device cuda" + (device > 0 ? ":" + device : "") + ": " + why);
    return OnnxRuntimeOptions.cuda(device);
  }
}
