package dev.kiln.interop.torch;

import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.DType;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads {@code .pt}/{@code .pth} files written by {@code torch.save} (the zip format of PyTorch 1.6 and
 * later): {@code <archive>/data.pkl} is unpickled by {@link RestrictedUnpickler}, tensors come from the
 * {@code <archive>/data/<key>} records, byte order from {@code <archive>/byteorder} (little if absent).
 * Member names are validated, and every size is checked against the file before anything is allocated.
 */
public final class TorchFile {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  /** Largest pickle accepted; state_dict pickles are kilobytes, so this only stops absurd ones. */
  private static final long MAX_PICKLE = 256L << 20;
  /**
   * Dense copies of all tensors may take this many times the file's size (plus 1 MiB): views that
   * share a storage (a weight and its transpose) are copied each, but not without limit.
   */
  private static final long VIEW_FACTOR = 8;

  private TorchFile() {}

  /** Reads the file's pickled object: a {@link StateDict} whose entries are tensors, nested dicts, lists and plain values. */
  public static StateDict read(Path path) throws IOException { return read(path, ReadLimits.defaults()); }

  /** Reads the file's pickled object within {@code limits} (sizes, pickle depth and values). */
  public static StateDict read(Path path, ReadLimits limits) throws IOException {
    long fileSize = Files.size(path);
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(path)) { n = in.readNBytes(head, 0, head.length); }
    if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
      throw new ModelFileException(path.getFileName() + " is in PyTorch's legacy (pre-1.6, non-zip) torch.save format, which Kiln does not read: "
          + "in Python, re-save it with torch.save(torch.load(f), f2) on PyTorch 1.6 or later, or convert it to safetensors");
    }
    if (n >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
      throw new ModelFileException(path.getFileName() + " is a tar archive (PyTorch's oldest torch.save format), which Kiln does not read: "
          + "re-save it with torch.save on PyTorch 1.6 or later, or convert it to safetensors");
    }
    if (n < 4 || head[0] != 'P' || head[1] != 'K') {
      throw new ModelFileException(path.getFileName() + " is not a torch.save zip archive (it does not start with a zip header)");
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      return read(zip, path.getFileName().toString(), fileSize, limits);
    } catch (java.util.zip.ZipException e) {
      throw new ModelFileException(path.getFileName() + " is not a readable zip archive: " + e.getMessage(), e);
    }
  }

  private static StateDict read(ZipFile zip, String fileName, long fileSize, ReadLimits limits) throws IOException {
    Map<String, ZipEntry> entries = new HashMap<>();
    String prefix = null;
    boolean torchScript = false;
    for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
      ZipEntry e = en.nextElement();
      String name = e.getName();
      checkName(name);
      entries.put(name, e);
      int slash = name.indexOf('/');
      String rest = slash < 0 ? name : name.substring(slash + 1);
      if (rest.equals("data.pkl")) prefix = name.substring(0, slash + 1);
      if (rest.equals("constants.pkl") || rest.startsWith("code/")) torchScript = true;
    }
    if (torchScript) {
      throw new ModelFileException(fileName + " is a TorchScript archive (torch.jit.save), not a torch.save state_dict: in Python, "
          + "save model.state_dict() with torch.save, or export the model to ONNX and use 'kiln import'");
    }
    if (prefix == null) throw new ModelFileException(fileName + " is a zip archive without a <archive>/data.pkl record, so not a torch.save file");
    String p = prefix;
    boolean bigEndian = false;
    ZipEntry order = entries.get(p + "byteorder");
    if (order != null) {
      String bo = new String(readEntry(zip, order, 16, fileSize), StandardCharsets.US_ASCII).trim();
      if (bo.equals("big")) bigEndian = true;
      else if (!bo.equals("little")) throw new ModelFileException(fileName + ": byteorder record says '" + bo + "', expected little or big");
    }
    byte[] pickle = readEntry(zip, entries.get(p + "data.pkl"), MAX_PICKLE, fileSize);
    Map<String, StorageRef> loaded = new HashMap<>();
    RestrictedUnpickler.StorageSource source = (key, dtype, numel) -> {
      StorageRef s = loaded.computeIfAbsent(key, k -> {
        if (!KEY.matcher(k).matches()) throw new ModelFileException("refused pickle: storage key '" + k + "' is not a plain record name");
        ZipEntry e = entries.get(p + "data/" + k);
        if (e == null) throw new ModelFileException(fileName + ": storage '" + k + "' names record " + p + "data/" + k + ", which does not exist");
        return storage(zip, e, k, dtype, numel, fileSize, limits);
      });
      if (s.dtype() != dtype || s.numel() != numel) {
        throw new ModelFileException("storage " + key + " is referenced as " + numel + " " + dtype + " and as " + s.numel() + " " + s.dtype());
      }
      return s;
    };
    long budget = Math.min(limits.maxTotalBytes(), Math.min(Integer.MAX_VALUE, fileSize) * VIEW_FACTOR + (1L << 20));
    Object root = RestrictedUnpickler.load(pickle, source, bigEndian, budget);
    return StateDict.fromPickle(root, limits);
  }

  private static StorageRef storage(ZipFile zip, ZipEntry e, String key, DType dtype, long numel, long fileSize, ReadLimits limits) {
    if (numel < 0) throw new ModelFileException("storage " + key + " declares a negative size " + numel);
    long need;
    try {
      need = Math.multiplyExact(numel, (long) dtype.byteSize());
    } catch (ArithmeticException x) {
      throw new ModelFileException("storage " + key + " declares " + numel + " elements, which overflows");
    }
    long have = e.getSize();
    if (have >= 0 && have < need) {
      throw new ModelFileException("storage " + key + " declares " + numel + " " + dtype + " elements (" + need + " bytes) but its record holds only " + have + " bytes");
    }
    if (need > fileSize) throw new ModelFileException("storage " + key + " declares " + need + " bytes, more than the whole file (" + fileSize + ")");
    limits.checkTensorBytes("storage " + key, need);
    try {
      byte[] b = readEntry(zip, e, need, fileSize);
      if (b.length < need) throw new ModelFileException("storage " + key + " needs " + need + " bytes but its record holds only " + b.length);
      return new StorageRef(key, dtype, numel, b);
    } catch (IOException x) {
      throw new ModelFileException("storage " + key + " could not be read: " + x.getMessage(), x);
    }
  }

  /** Reads at most {@code limit} bytes of an entry, refusing one whose declared size is absurd. */
  private static byte[] readEntry(ZipFile zip, ZipEntry e, long limit, long fileSize) throws IOException {
    long declared = e.getSize();
    boolean stored = e.getMethod() == ZipEntry.STORED;
    // NOTE: a stored record cannot be larger than the file holding it; deflate expands at most ~1032x.
    long ceiling = stored ? fileSize : Math.min(Integer.MAX_VALUE - 16L, fileSize * 1032L);
    if (declared > ceiling) {
      throw new ModelFileException("zip record " + e.getName() + " declares " + declared + " bytes, more than the file (" + fileSize + " bytes) can hold");
    }
    long cap = Math.min(Math.min(limit, ceiling), Integer.MAX_VALUE - 16L);
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes((int) Math.min(cap, declared >= 0 ? declared : cap));
      if (declared < 0 && in.read() >= 0) throw new ModelFileException("zip record " + e.getName() + " is larger than " + cap + " bytes");
      return b;
    }
  }

  /** Refuses member names that would escape a directory if extracted (Kiln never extracts, but such a zip is hostile). */
  static void checkName(String name) {
    boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0") || name.matches("^[A-Za-z]:.*");
    for (String part : name.split("/")) if (part.equals("..")) bad = true;
    if (bad) throw new ModelFileException("refused zip: member name '" + name + "' is absolute or escapes the archive (path traversal)");
  }
}
