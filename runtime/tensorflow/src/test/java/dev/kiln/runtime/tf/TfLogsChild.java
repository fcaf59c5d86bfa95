package dev.kiln.runtime.tf;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Child-process entry of {@link TfNativeLogsTest}: a fresh JVM whose first TF session is Kiln's. With argument
 * {@code preload}, that first session is the background loader's ({@link TfPreload}). With argument
 * {@code replay}, a line written straight to fd 2 (as native code writes) during the absorbed first run must reach
 * the real stderr. Then two MatMul runs on oneDNN ({@link OneDnnDefaultTest#main}), and a genuine TF error, whose
 * message is printed to stdout as {@code TF ERROR: ...}.
 */
public final class TfLogsChild {
  private TfLogsChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("preload")) {
      // The background load (what `kiln demo` and the benchmark start first) makes the process's first session run.
      TfPreload.start();
      for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("kiln-tf-preload")) t.join();
    }
    if (args.length > 0 && args[0].equals("replay")) {
      TfNativeLogs.absorbDuring(() -> {
        TfNativeLogs.runOneNodeGraph();
        try {
          // Not System.err: a raw write(2) on fd 2, as TF's C++ code writes its errors.
          @SuppressWarnings("resource") FileOutputStream fd2 = new FileOutputStream(FileDescriptor.err);
          fd2.write("real native diagnostic\n".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
    }
    OneDnnDefaultTest.main(new String[0]);
    OneDnnDefaultTest.main(new String[0]);
    try (Graph g = new Graph(); Session s = TfSessions.open(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class);
      var y = tf.linalg.matMul(x, x);
      try (TFloat32 vector = TFloat32.vectorOf(1f, 2f, 3f)) {
        s.runner().feed(x, vector).fetch(y).run().close();
        System.out.println("no error?");
      } catch (RuntimeException e) {
        System.out.println("TF ERROR: " + e.getMessage());
      }
    }
    System.out.println("LOGS " + TfNativeLogs.status());
  }
}
