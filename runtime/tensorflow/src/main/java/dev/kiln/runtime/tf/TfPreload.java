package dev.kiln.runtime.tf;

import dev.kiln.runtime.train.StartupTrace;
import dev.kiln.runtime.tf.ops.TfHandlers;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
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

  private static void warmSession() {
    // This may be the process's first session run: absl's two first-run lines are absorbed here, or they print.
    TfNativeLogs.absorbFirstRunLines();
    try (Graph g = new Graph()) {
      TfOpBuilder ops = new TfOpBuilder(g, "kiln_preload/");
      HostTensor one = HostTensor.scalar(DType.F32, 1);
      Output<?> c = ops.op("Const", "c", List.of(), Map.of("value", one, "dtype", DType.F32), null).get(0);
      Output<?> y = ops.op("Identity", "y", List.of(c), Map.of(), null).get(0);
      try (Session s = TfSessions.withSettings(g); Result r = s.runner().fetch(y).run()) {
        r.get(0);
      }
    }
  }

  private static void load() {
    try {
      OneDnn.configure();
      StartupTrace.mark("tf: oneDNN configured");
      TensorFlow.version();  // NOTE: its static initialiser loads the native library and registers TF's ops.
      StartupTrace.mark("tf: native library loaded");
      // NOTE: what the first lowering would otherwise do on the caller's thread: parse TF's registered op list
      // (~1,500 OpDef protos) and build Kiln's handler table; then one tiny session run, which sets up TF's
      // process-wide runtime (device, thread pools, oneDNN) and loads the TF-Java classes a session uses.
      TfOpBuilder.opDef("NoOp");
      TfHandlers.all();
      StartupTrace.mark("tf: op definitions and handlers ready");
      warmSession();
      StartupTrace.mark("tf: first session run done");
    } catch (Throwable e) {
      // NOTE: said here, always: a class whose initialiser failed is unusable for the rest of the process, and the
      // caller's thread then gets only "Could not initialize class ..." without this cause (Java 17).
      System.err.println("kiln: TensorFlow's native library failed to load (on the preload thread): " + e);
      StartupTrace.mark("tf: background load failed: " + e);
    }
  }
}
