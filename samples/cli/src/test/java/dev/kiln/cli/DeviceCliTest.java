package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.onnx.OrtDevices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code --device}: CUDA where ONNX Runtime's CPU build runs (this project's default artifact) is one line and exit 2,
 * before any data is read; so is a device name that does not exist, or CUDA without the ONNX Runtime back end.
 */
class DeviceCliTest {
  static void oneLine(CliRun r, String expected) {
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.err().contains(expected), r.err());
  }

  @Test void cudaWithoutTheGpuBuildSaysSoInOneLine() {
    Assumptions.assumeTrue(OrtDevices.cudaUnavailable(0) != null, "CUDA works here");
    CliRun r = CliRun.of("train", "mlp", "--backend", "onnxruntime", "--device", "cuda", "--data", "/nonexistent");
    oneLine(r, "--device cuda: this ONNX Runtime has no CUDA execution provider");
    assertTrue(r.err().contains("onnxruntime_gpu"), r.err());
    oneLine(CliRun.of("demo", "--backend", "onnxruntime", "--device", "cuda:1"), "--device cuda:1: this ONNX Runtime has no CUDA");
  }

  @Test void cudaNeedsTheOnnxRuntimeBackEndAndAKnownName() {
    oneLine(CliRun.of("train", "mlp", "--device", "cuda"), "trains on the ONNX Runtime back end only: add --backend onnxruntime");
    oneLine(CliRun.of("train", "mlp", "--backend", "onnxruntime", "--device", "tpu"), "device 'tpu' is not one of cpu, cuda, cuda:N");
  }
}
