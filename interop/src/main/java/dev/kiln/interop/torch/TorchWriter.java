package dev.kiln.interop.torch;

import dev.kiln.compiler.io.AtomicFiles;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Pickler;

/**
 * Writes a {@code state_dict} in {@code torch.save}'s zip format (PyTorch 1.6 and later): records
 * {@code archive/data.pkl}, {@code archive/byteorder} ("little"), {@code archive/data/<n>} (one contiguous
 * little-endian storage per tensor) and {@code archive/version} ("3"), all stored uncompressed with their data
 * 64-byte aligned as PyTorch aligns them. The pickle (protocol 2, razorvine's {@link Pickler}) names only the
 * forms {@link RestrictedUnpickler} and PyTorch's {@code weights_only} loader accept:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, and the typed storage classes,
 * which appear only inside persistent ids {@code ('storage', torch.FloatStorage, '<n>', 'cpu', numel)}.
 */
final class TorchWriter {
  private TorchWriter() {}

  private static final String ARCHIVE = "archive/";
  private static final int ALIGN = 64;
  /** Zip extra-field id PyTorch uses for its alignment padding ("FB"). */
  private static final int PAD_ID = 0x4246;

  private static final Map<DType, String> STORAGE_CLASSES = new EnumMap<>(DType.class);

  static {
    TorchPickle.STORAGE_TYPES.forEach((name, dtype) -> {
      if (!name.contains("ntyped")) STORAGE_CLASSES.put(dtype, name.substring("torch.".length()));
    });
    Pickler.registerCustomPickler(OrderedDictOut.class, TorchWriter::pickleOrderedDict);
    Pickler.registerCustomPickler(TensorOut.class, TorchWriter::pickleTensor);
    Pickler.registerCustomPickler(StorageClass.class, (o, out, p) -> global(out, "torch", ((StorageClass) o).name()));
  }

  /** {@code collections.OrderedDict} with these items. */
  private record OrderedDictOut(Map<String, Object> items) {}

  /** A contiguous tensor over storage {@code key}. */
  private record TensorOut(Storage storage, long[] shape) {}

  /** A storage record, pickled as a persistent id. */
  private record Storage(String key, DType dtype, long numel) {}

  /** A storage class global such as {@code torch.FloatStorage}. */
  private record StorageClass(String name) {}

  /** Writes {@code tensors} (names and values as given) to {@code path} atomically. */
  static void write(Path path, Map<String, HostTensor> tensors) throws IOException {
    AtomicFiles.write(path, toBytes(tensors));
  }

  /** The {@code torch.save} zip archive of {@code tensors}. */
  static byte[] toBytes(Map<String, HostTensor> tensors) throws IOException {
    Map<String, Object> items = new LinkedHashMap<>();
    List<byte[]> storages = new ArrayList<>();
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      HostTensor t = e.getValue();
      if (!STORAGE_CLASSES.containsKey(t.dtype())) throw new ModelFileException("cannot write " + e.getKey() + ": no torch storage for " + t.dtype());
      Storage s = new Storage(String.valueOf(storages.size()), t.dtype(), t.size());
      storages.add(t.bytes());
      items.put(e.getKey(), new TensorOut(s, t.shape()));
    }
    byte[] pickle = pickle(new OrderedDictOut(items));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Counting counted = new Counting(bytes);
    try (ZipOutputStream zip = new ZipOutputStream(counted)) {
      stored(zip, counted, ARCHIVE + "data.pkl", pickle);
      stored(zip, counted, ARCHIVE + "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < storages.size(); i++) stored(zip, counted, ARCHIVE + "data/" + i, storages.get(i));
      stored(zip, counted, ARCHIVE + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return bytes.toByteArray();
  }

  private static byte[] pickle(OrderedDictOut root) throws IOException {
    Pickler p = new Pickler(false) {
      @Override protected Object persistentId(Object obj) {
        if (obj instanceof Storage s) return new Object[] {"storage", new StorageClass(STORAGE_CLASSES.get(s.dtype())), s.key(), "cpu", s.numel()};
        return null;
      }
    };
    return p.dumps(root);
  }

  /** {@code OrderedDict()} then its items: GLOBAL, EMPTY_TUPLE, REDUCE, MARK k v ... SETITEMS. */
  private static void pickleOrderedDict(Object o, OutputStream out, Pickler p) throws IOException {
    global(out, "collections", "OrderedDict");
    out.write(')');
    out.write('R');
    Map<String, Object> items = ((OrderedDictOut) o).items();
    if (items.isEmpty()) return;
    out.write('(');
    for (Map.Entry<String, Object> e : items.entrySet()) {
      p.save(e.getKey());
      p.save(e.getValue());
    }
    out.write('u');
  }

  /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}. */
  private static void pickleTensor(Object o, OutputStream out, Pickler p) throws IOException {
    TensorOut t = (TensorOut) o;
    long[] shape = t.shape();
    Object[] size = new Object[shape.length];
    Object[] stride = new Object[shape.length];
    long step = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      size[i] = shape[i];
      stride[i] = step;
      step *= shape[i];
    }
    global(out, "torch._utils", "_rebuild_tensor_v2");
    p.save(new Object[] {t.storage(), 0L, size, stride, false, new OrderedDictOut(Map.of())});
    out.write('R');
  }

  private static void global(OutputStream out, String module, String name) throws IOException {
    out.write('c');
    out.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** One uncompressed record whose data starts at a multiple of {@link #ALIGN} (padded by an extra field). */
  private static void stored(ZipOutputStream zip, Counting counted, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L + 12L * 3600_000);  // a fixed DOS time (1980-01-01), so output is reproducible
    zip.flush();
    // NOTE: a local header is 30 bytes + name + extra; the extra field is 4 bytes of id/length + padding.
    long dataStart = counted.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
    int pad = (int) ((ALIGN - dataStart % ALIGN) % ALIGN);
    byte[] extra = new byte[4 + pad];
    extra[0] = (byte) PAD_ID;
    extra[1] = (byte) (PAD_ID >> 8);
    extra[2] = (byte) pad;
    extra[3] = (byte) (pad >> 8);
    java.util.Arrays.fill(extra, 4, extra.length, (byte) 'Z');
    e.setExtra(extra);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Counts bytes written through it, to place each record's data. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) { super(out); }

    @Override public void write(int b) throws IOException { out.write(b); count++; }

    @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); count += len; }
  }
}
