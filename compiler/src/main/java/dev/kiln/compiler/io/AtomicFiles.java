package dev.kiln.compiler.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so a reader sees the old file or the whole new one, never a torn one. The data goes to a
 * temporary file {@code .NAME.PID.N.tmp} beside the target, is fsynced, renamed over the target, and the
 * folder is fsynced so the rename itself survives a crash. Temporary files left by a writer that was killed
 * (a process that no longer runs) are removed on the next write to the same target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Makes temporary names unique within the process (the pid makes them unique across processes). */
  private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Writes to a temporary file beside {@code target}, fsyncs it, then renames it over the target. The file
   * gets the permissions the user's umask gives any new file (0644 under the usual umask 022).
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) Files.createDirectories(dir);
    Path folder = dir == null ? Path.of(".") : dir;
    removeStale(folder, abs.getFileName().toString());
    // NOTE: not Files.createTempFile: it makes the file owner-only, and the rename would keep that
    // instead of the permissions the user's umask gives a new file.
    Path tmp = folder.resolve(tempName(abs.getFileName().toString(), ProcessHandle.current().pid(), COUNTER.incrementAndGet()));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      syncFolder(folder);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static String tempName(String target, long pid, long n) { return "." + target + "." + pid + "." + n + ".tmp"; }

  /** Deletes {@code .TARGET.PID.N.tmp} files of processes that no longer run: what a kill during a write leaves. */
  static void removeStale(Path folder, String target) {
    Pattern p = Pattern.compile("\\." + Pattern.quote(target) + "\\.(\\d{1,19})\\.\\d{1,19}\\.tmp");
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "." + target.replaceAll("[\\[\\]{}*?\\\\]", "?") + ".*.tmp")) {
      for (Path f : ds) {
        Matcher m = p.matcher(f.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
        long pid;
        try {
          pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue; // a live writer's file
        Files.deleteIfExists(f);
      }
    } catch (IOException | RuntimeException e) {
      // NOTE: cleaning up is a courtesy; the write itself must not fail because of it.
    }
  }

  /** fsyncs the folder so the rename is durable (Linux allows opening a directory for reading to sync it). */
  private static void syncFolder(Path folder) {
    try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // Some platforms and file systems cannot open or sync a directory; the file itself is already synced.
    }
  }
}
