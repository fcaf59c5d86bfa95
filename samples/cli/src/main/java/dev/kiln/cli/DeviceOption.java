package dev.kiln.cli;

import dev.kiln.runtime.onnx.OnnxRuntimeBackend;
import dev.kiln.runtime.onnx.OrtDevices;
import dev.kiln.spec.KilnException;
import picocli.CommandLine.Option;

/**
 * {@code --device cpu|cuda[:N]} for the commands that train: CUDA runs the ONNX Runtime back end on the CUDA
 * execution provider ({@link OrtDevices}). It is checked here, before any data is read, so that a machine without
 * the GPU build of ONNX Runtime or without a CUDA device gets one line and exit 2.
 */
final class DeviceOption {
  @Option(names = "--device", paramLabel = "DEVICE",
      description = "cpu (default), or cuda / cuda:N: train on a CUDA GPU (with --backend onnxruntime; needs the onnxruntime_gpu "
          + "artifact, mvn -Pgpu, and an NVIDIA GPU).")
  String device;

  /** Checks the device against the chosen back end and makes it the ONNX Runtime back end's device for this run. */
  void apply(BackendOption backend) {
    int cuda = OrtDevices.parse(device);
    if (cuda < 0) return;
    if (!OnnxRuntimeBackend.NAME.equals(backend.backend)) {
      throw new KilnException("--device " + device + " trains on the ONNX Runtime back end only: add --backend onnxruntime");
    }
    String why = OrtDevices.cudaUnavailable(cuda);
    if (why != null) throw new KilnException("--device " + device + ": " + why);
    System.setProperty(OrtDevices.PROPERTY, device);
  }
}
