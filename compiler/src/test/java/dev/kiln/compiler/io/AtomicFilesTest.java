package dev.kiln.compiler.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written file holds the new bytes whole, leaves no temporary file, and has the permissions of any new file. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesWholeAndLeavesNothingBehind() throws Exception {
    Path f = dir.resolve("sub/model.onnx");
    AtomicFiles.write(f, new byte[] {1, 2, 3});
    AtomicFiles.write(f, new byte[] {4, 5});
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(List.of(f), s.toList());
    }
  }

  @Test
  void takesTheUmaskNotOwnerOnly() throws Exception {
    Path plain = dir.resolve("plain");
    Files.writeString(plain, "x");  // what the process umask gives a new file
    Path f = dir.resolve("atomic");
    AtomicFiles.write(f, new byte[] {1});
    assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void removesTempFilesOfKilledWritersButNotOfLiveOnes() throws Exception {
    // A writer killed mid-write leaves .NAME.PID.N.tmp; the next write to NAME removes it once PID is gone.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path f = dir.resolve("model.onnx");
    Path stale = Files.write(dir.resolve(AtomicFiles.tempName("model.onnx", gone.pid(), 7)), new byte[1024]);
    Path live = Files.write(dir.resolve(AtomicFiles.tempName("model.onnx", ProcessHandle.current().pid(), 999_999)), new byte[1]);
    Path other = Files.write(dir.resolve(AtomicFiles.tempName("other.onnx", gone.pid(), 7)), new byte[1]);
    AtomicFiles.write(f, new byte[] {1});
    assertEquals(false, Files.exists(stale));
    assertEquals(true, Files.exists(live), "a running writer's temporary file is left alone");
    assertEquals(true, Files.exists(other), "only temporary files of the target written are touched");
  }
}
