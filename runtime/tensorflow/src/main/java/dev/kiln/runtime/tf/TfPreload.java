package dev.kiln.runtime.tf;

import dev.kiln.runtime.train.StartupTrace;
import org.tensorflow.TensorFlow;

/**
 * Loads TensorFlow's native library (libtensorflow_cc and its framework, ~0.5-1 s on this project's machines) on
 * a daemon thread, so that it overlaps the caller's data reading and IR building instead of preceding the first
 * step ({@link TensorFlowBackend#preload()}). {@link OneDnn#configure()} runs first on that thread, as it must run
 * before the library reads its environment. A TF class used on another thread meanwhile waits for the load
 * (the JVM's class initialisation lock), so nothing can see a half-loaded library.
 */
final class TfPreload {
  private TfPreload() {}

  private static Thread loader;

  /** Starts the load once; later calls do nothing. */
  static synchronized void start() {
    if (loader != null) return;
    loader = new Thread(TfPreload::load, "kiln-tf-preload");
    loader.setDaemon(true);
    loader.start();
  }

  private static void load() {
    try {
      OneDnn.configure();
      StartupTrace.mark("tf: oneDNN configured");
      TensorFlow.version();  // NOTE: its static initialiser loads the native library and registers TF's ops.
      StartupTrace.mark("tf: native library loaded");
    } catch (Throwable e) {
      // NOTE: not fatal here: the session opened later loads the library again on the caller's thread and
      // reports the failure there, with the caller's context.
      StartupTrace.mark("tf: background load failed: " + e);
    }
  }
}
