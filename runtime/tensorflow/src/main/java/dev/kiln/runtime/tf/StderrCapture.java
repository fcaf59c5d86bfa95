package dev.kiln.runtime.tf;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends the process's file descriptor 2 (stderr, where native code writes) to a private temporary file while a
 * piece of work runs, then puts it back and hands over what was written, so {@link TfNativeLogs} can drop the
 * absl lines TensorFlow prints on its first session run and replay everything else to the real stderr.
 *
 * <p>Java has no {@code dup2} of its own. The JDK's file channel code has one, {@code dup0(FileDescriptor from,
 * FileDescriptor to)} in {@code sun.nio.ch.FileDispatcherImpl} (JDK 17; {@code UnixFileDispatcherImpl} in later
 * JDKs), reachable only when the JVM runs with {@code --add-opens=java.base/sun.nio.ch=ALL-UNNAMED}, a flag the
 * {@code kiln} launcher passes anyway (Spark needs it). Without it {@link #available()} is false and nothing is
 * redirected. (Java 17's foreign linker, {@code jdk.incubator.foreign}, could call libc's {@code dup2} too, but
 * resolving that module makes the JVM print {@code "WARNING: Using incubator modules"} on every start: one noise
 * line traded for another.)
 */
final class StderrCapture {
  private StderrCapture() {}

  private static volatile String unavailable = "no dup0 in this JDK's sun.nio.ch";
  private static final Method DUP2 = findDup2();

  private static Method findDup2() {
    for (String name : new String[] {"sun.nio.ch.FileDispatcherImpl", "sun.nio.ch.UnixFileDispatcherImpl"}) {
      try {
        Method m = Class.forName(name).getDeclaredMethod("dup0", FileDescriptor.class, FileDescriptor.class);
        m.setAccessible(true);  // InaccessibleObjectException without --add-opens java.base/sun.nio.ch
        return m;
      } catch (ClassNotFoundException e) {
        // the other JDK's name; the reason worth reporting comes from the class that exists
      } catch (ReflectiveOperationException | RuntimeException e) {
        unavailable = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    }
    return null;
  }

  /** Whether fd 2 can be redirected in this JVM. */
  static boolean available() {
    return DUP2 != null;
  }

  /** Why not, when {@link #available()} is false. */
  static String whyUnavailable() {
    return DUP2 != null ? null : unavailable;
  }

  /**
   * Runs {@code work} with fd 2 sent to a temporary file and returns the bytes written there (by native code and
   * by Java alike). fd 2 is restored before this returns or throws; the file is deleted. When {@code work}
   * throws, what it wrote is written to the real stderr first, so a failure's own diagnostics are never lost.
   */
  static byte[] capture(Runnable work) throws IOException {
    if (DUP2 == null) throw new IllegalStateException("stderr cannot be redirected: " + unavailable);
    Path file = Files.createTempFile("kiln-tf-stderr", ".log");  // owner-only permissions
    try (FileOutputStream saved = new FileOutputStream("/dev/null");
         FileOutputStream sink = new FileOutputStream(file.toFile())) {
      System.err.flush();
      dup2(FileDescriptor.err, saved.getFD());  // saved now refers to the real stderr
      dup2(sink.getFD(), FileDescriptor.err);
      try {
        work.run();
      } catch (RuntimeException | Error e) {
        restore(saved);
        System.err.write(Files.readAllBytes(file));
        System.err.flush();
        throw e;
      }
      restore(saved);
      return Files.readAllBytes(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void restore(FileOutputStream saved) throws IOException {
    System.err.flush();  // Java's own writes in the window go to the file, not to a stale buffer later
    dup2(saved.getFD(), FileDescriptor.err);
  }

  private static void dup2(FileDescriptor from, FileDescriptor to) throws IOException {
    try {
      DUP2.invoke(null, from, to);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new IOException("dup2 failed", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IOException("dup2 not accessible", e);
    }
  }
}
