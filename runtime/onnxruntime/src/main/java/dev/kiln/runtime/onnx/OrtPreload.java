package dev.kiln.runtime.onnx;

import ai.onnxruntime.OrtEnvironment;
import dev.kiln.runtime.train.StartupTrace;

/**
 * Loads ONNX Runtime's native library and creates its environment on a daemon thread
 * ({@link OnnxRuntimeBackend#preload()}), so the load overlaps the caller's data reading and model building. The
 * environment is the one every session here uses ({@link OrtEnvironment#getEnvironment()}, a process-wide
 * singleton); a caller that needs it meanwhile waits on the JVM's class initialisation lock.
 */
final class OrtPreload {
  private OrtPreload() {}

  private static Thread loader;

  /** Starts the load once; later calls do nothing. */
  static synchronized void start() {
    if (loader != null) return;
    loader = new Thread(OrtPreload::load, "kiln-ort-preload");
    loader.setDaemon(true);
    loader.start();
  }

  private static void load() {
    try {
      OrtEnvironment.getEnvironment();
      StartupTrace.mark("ort: native library loaded, environment created");
    } catch (Throwable e) {
      // NOTE: said here, always: the caller's thread may see only the consequence (a class that failed to initialise).
      System.err.println("kiln: ONNX Runtime's native library failed to load (on the preload thread): " + e);
      StartupTrace.mark("ort: background load failed: " + e);
    }
  }
}
