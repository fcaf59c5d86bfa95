package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clean verdicts are kept per exact setting, in files written whole, readable as the umask allows. */
class SelfCheckCacheTest {
  @TempDir Path dir;
  private String before;

  @BeforeEach
  void useTempDir() {
    before = System.getProperty("kiln.cache.dir");
    System.setProperty("kiln.cache.dir", dir.resolve("cache").toString());
  }

  @AfterEach
  void restore() {
    if (before == null) System.clearProperty("kiln.cache.dir");
    else System.setProperty("kiln.cache.dir", before);
  }

  @Test
  void aVerdictCountsForItsOwnSettingOnly() throws Exception {
    assertFalse(SelfCheckCache.isClean("check 1\ncpu A"));
    SelfCheckCache.recordClean("check 1\ncpu A");
    assertTrue(SelfCheckCache.isClean("check 1\ncpu A"));
    assertFalse(SelfCheckCache.isClean("check 1\ncpu B"));
    assertFalse(SelfCheckCache.isClean("check 2\ncpu A"));
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
      files = s.toList();
    }
    assertEquals(1, files.size(), "no temporary file left behind: " + files);
    // Written with the process umask (Maven's JVM: 022 here), not owner-only like a temp file.
    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0)));
    assertTrue(perms.startsWith("rw-"), perms);
    assertTrue(!perms.equals("rw-------") || umaskIsPrivate(), perms);
  }

  @Test
  void runChecksUntilACleanVerdictIsKept() {
    int[] runs = {0};
    assertEquals("dirty", SelfCheckCache.run("r", "cached", () -> { runs[0]++; return "dirty"; }, "clean"::equals));
    assertEquals("clean", SelfCheckCache.run("r", "cached", () -> { runs[0]++; return "clean"; }, "clean"::equals));
    assertEquals("cached", SelfCheckCache.run("r", "cached", () -> { runs[0]++; return "clean"; }, "clean"::equals));
    assertEquals(2, runs[0], "a fault is checked again; a clean verdict is not");
  }

  @Test
  void aDamagedFileIsNoVerdict() throws Exception {
    SelfCheckCache.recordClean("s");
    try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
      Files.writeString(s.findFirst().orElseThrow(), "s\ncle");
    }
    assertFalse(SelfCheckCache.isClean("s"));
  }

  @Test
  void anUnwritableCacheIsNoCache() throws Exception {
    Path file = dir.resolve("blocked");
    Files.writeString(file, "a file where the cache folder should be");
    System.setProperty("kiln.cache.dir", file.resolve("sub").toString());
    SelfCheckCache.recordClean("s");
    assertFalse(SelfCheckCache.isClean("s"));
  }

  private static boolean umaskIsPrivate() throws Exception {
    Path probe = Files.createTempDirectory("umask").resolve("p");
    Files.writeString(probe, "");
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(probe)).equals("rw-------");
  }
}
