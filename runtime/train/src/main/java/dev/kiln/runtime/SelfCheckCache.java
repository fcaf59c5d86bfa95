package dev.kiln.runtime;

import dev.kiln.compiler.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Remembers that a known-answer self-check came out clean for one exact setting: the CPU (model and
 * feature flags), the back end's version and configuration, and the check's own version. Kernels are
 * picked by CPU features, so the same setting gives the same kernels, and later processes skip the
 * check (tens to hundreds of milliseconds) by reading one small file. Only clean verdicts are kept: a
 * fault is checked, rerouted and reported again in every process. Files live in
 * {@code -Dkiln.cache.dir}, else {@code $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}; a cache that
 * cannot be read or written is no cache. {@code -Dkiln.selfCheck.cache=false} turns it off.
 */
public final class SelfCheckCache {
  private SelfCheckCache() {}

  /**
   * The check's report for {@code setting}: {@code cached} when a clean verdict is recorded, else a fresh
   * {@code check}, whose verdict is recorded when {@code clean} says so.
   */
  public static <R> R run(String setting, R cached, java.util.function.Supplier<R> check, java.util.function.Predicate<R> clean) {
    if (isClean(setting)) return cached;
    R r = check.get();
    if (clean.test(r)) recordClean(setting);
    return r;
  }

  /** Whether a clean verdict was recorded for {@code setting}. */
  public static boolean isClean(String setting) {
    Path f = file(setting);
    try {
      return f != null && Files.isRegularFile(f) && Files.readString(f, StandardCharsets.UTF_8).equals(content(setting));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Records a clean verdict for {@code setting}, atomically ({@link AtomicFiles}). */
  public static void recordClean(String setting) {
    Path f = file(setting);
    if (f == null) return;
    try {
      AtomicFiles.write(f, content(setting).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // No cache: the check just runs again next time.
    }
  }

  /** The CPU part of a setting: model name and feature flags as Linux reports them. */
  public static String cpuFingerprint() {
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"));
      return info.lines().filter(l -> l.startsWith("model name") || l.startsWith("flags")).distinct()
          .reduce("", (a, b) -> a + b + "\n");
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch") + " unknown CPU " + Runtime.getRuntime().availableProcessors();
    }
  }

  private static String content(String setting) { return setting + "\nclean\n"; }

  private static Path file(String setting) {
    if ("false".equalsIgnoreCase(System.getProperty("kiln.selfCheck.cache"))) return null;
    String dir = System.getProperty("kiln.cache.dir");
    if (dir == null) {
      String xdg = System.getenv("XDG_CACHE_HOME");
      dir = xdg != null && !xdg.isBlank() ? xdg + "/kiln" : System.getProperty("user.home") + "/.cache/kiln";
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(setting.getBytes(StandardCharsets.UTF_8));
      return Path.of(dir, "selfcheck-" + HexFormat.of().formatHex(h, 0, 12));
    } catch (NoSuchAlgorithmException | RuntimeException e) {
      return null;
    }
  }
}
