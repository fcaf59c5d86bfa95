package dev.kiln.compiler.io;

import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens a file named by a path relative to a folder, such that what is read is a plain file inside that
 * folder, whatever else happens on the file system meanwhile. The folder's real path is opened, then each
 * component below it relative to the one before with links not followed ({@code openat} with
 * {@code O_NOFOLLOW}, through {@link SecureDirectoryStream}): a component swapped for a symbolic link in a
 * race makes the open fail instead of leaving the folder. The opened file must be a regular file with one
 * hard link (a second name could be outside the folder), and its identity (device and inode) must be the
 * same before and after the caller reads it ({@link Opened#verifyUnchanged}).
 */
public final class ConfinedFile {
  private ConfinedFile() {}

  /** An open file and what identifies it; close it when done. */
  public static final class Opened implements AutoCloseable {
    private final SeekableByteChannel channel;
    private final SecureDirectoryStream<Path> dir;
    private final Path name;
    private final Object key;
    private final String what;

    private Opened(SeekableByteChannel channel, SecureDirectoryStream<Path> dir, Path name, Object key, String what) {
      this.channel = channel;
      this.dir = dir;
      this.name = name;
      this.key = key;
      this.what = what;
    }

    public SeekableByteChannel channel() { return channel; }

    /** Refuses the read when the name now refers to another file than the one checked when opened. */
    public void verifyUnchanged() throws IOException {
      if (dir == null) return;
      Object now = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes().fileKey();
      if (!key.equals(now)) throw new ModelFileException(what + " was replaced while it was being read; refused");
    }

    @Override public void close() throws IOException {
      try {
        channel.close();
      } finally {
        if (dir != null) dir.close();
      }
    }
  }

  /**
   * Opens {@code location} (relative, no {@code ..}) under {@code folder} for reading. {@code what} names the
   * file in errors ("tensor 'w': external file 'w.bin'").
   */
  public static Opened open(Path folder, String location, String what) throws IOException {
    List<Path> parts = components(location, what);
    Path base = folder.toRealPath();
    DirectoryStream<Path> top = Files.newDirectoryStream(base);
    if (!(top instanceof SecureDirectoryStream<Path> dir)) {
      top.close();
      return openByPath(base, parts, what); // file systems without openat: path checks only
    }
    try {
      for (int i = 0; i < parts.size() - 1; i++) {
        SecureDirectoryStream<Path> next;
        try {
          next = dir.newDirectoryStream(parts.get(i), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          throw new ModelFileException(what + ": folder '" + parts.get(i) + "' on its path is missing, not a folder, or a symbolic link");
        }
        dir.close();
        dir = next;
      }
      Path name = parts.get(parts.size() - 1);
      BasicFileAttributes before = attributes(dir, name, what);
      SeekableByteChannel ch;
      try {
        ch = dir.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      } catch (IOException e) {
        throw new ModelFileException(what + " cannot be opened (missing, a symbolic link, or not readable)");
      }
      Opened o = new Opened(ch, dir, name, before.fileKey(), what);
      try {
        // NOTE: the link count is read by path (SecureDirectoryStream offers no nlink); the identity checks
        // around it tie it to the opened file: a swap in between fails verifyUnchanged or the key comparison.
        Path path = base.resolve(String.join("/", parts.stream().map(Path::toString).toList()));
        checkLinks(path, before.fileKey(), what);
        o.verifyUnchanged();
        return o;
      } catch (IOException | RuntimeException e) {
        o.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  private static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name, String what) throws IOException {
    BasicFileAttributes a;
    try {
      a = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
    } catch (IOException e) {
      throw new ModelFileException(what + " does not exist");
    }
    if (a.isSymbolicLink()) throw new ModelFileException(what + " is a symbolic link; only plain files inside the model's folder are read");
    if (!a.isRegularFile()) throw new ModelFileException(what + " is not a regular file");
    return a;
  }

  private static void checkLinks(Path path, Object key, String what) throws IOException {
    Object nowKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    if (!key.equals(nowKey)) throw new ModelFileException(what + " was replaced while it was being opened; refused");
    Object links = Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
    if (links instanceof Integer n && n > 1) {
      throw new ModelFileException(what + " has " + n + " hard links (another name for it may be outside the model's folder); refused");
    }
  }

  private static Opened openByPath(Path base, List<Path> parts, String what) throws IOException {
    Path p = base;
    for (Path part : parts) {
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) throw new ModelFileException(what + " goes through a symbolic link");
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) throw new ModelFileException(what + " does not exist or is not a regular file");
    return new Opened(Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), null, p, null, what);
  }

  /** The relative path's components; refuses absolute paths, {@code ..}, NUL and empty names. */
  static List<Path> components(String location, String what) {
    if (location == null || location.isEmpty()) throw new ModelFileException(what + ": no location given");
    if (location.startsWith("/") || location.startsWith("\\") || location.matches("^[A-Za-z]:.*")) {
      throw new ModelFileException(what + ": location '" + location + "' is absolute; only files in the model's folder are read");
    }
    Path rel;
    try {
      rel = Path.of(location);
    } catch (InvalidPathException e) {
      throw new ModelFileException(what + ": location '" + location.replace("\0", "\\0") + "' is not a valid path");
    }
    if (rel.isAbsolute()) throw new ModelFileException(what + ": location '" + location + "' is absolute; only files in the model's folder are read");
    List<Path> parts = new ArrayList<>();
    for (Path part : rel) {
      String s = part.toString();
      if (s.equals("..")) throw new ModelFileException(what + ": location '" + location + "' leaves the model's folder (..)");
      if (!s.equals(".") && !s.isEmpty()) parts.add(part);
    }
    if (parts.isEmpty()) throw new ModelFileException(what + ": location '" + location + "' names no file");
    return parts;
  }
}
