package dev.kiln.interop.torch;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a {@code torch.save} pickle with razorvine's {@link Unpickler}, but intercepts every opcode
 * that could name or call Python code. Globals are checked against {@link TorchPickle}'s allowlist
 * before anything else happens and kept as inert {@link PyGlobal} markers; {@code REDUCE} on an
 * allowlisted marker runs this class's own Java rebuild code; {@code INST}, {@code OBJ},
 * {@code NEWOBJ}, extension codes and {@code BUILD} on anything but an {@code OrderedDict} are refused.
 * Nothing from the file is ever executed. Length-prefixed opcodes are checked against the bytes left
 * so a forged length cannot make the reader allocate more than the pickle's size.
 */
final class RestrictedUnpickler extends Unpickler {
  /** Gives the bytes of archive record {@code data/<key>} after checking it holds {@code numel} elements. */
  interface StorageSource {
    StorageRef storage(String key, DType dtype, long numel);
  }

  /** An {@code OrderedDict} built by the pickle; {@code BUILD} may set its attributes (e.g. {@code _metadata}). */
  static final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;
  }

  private final StorageSource storages;
  private final boolean bigEndian;
  private final int pickleSize;
  private long tensorBudget;

  private RestrictedUnpickler(StorageSource storages, boolean bigEndian, int pickleSize, long tensorBudget) {
    this.storages = storages;
    this.bigEndian = bigEndian;
    this.pickleSize = pickleSize;
    this.tensorBudget = tensorBudget;
  }

  /**
   * Unpickles {@code pickle}, refusing anything outside the allowlist. Tensors materialised in all may
   * take at most {@code tensorBudget} bytes, so many views of one storage cannot multiply memory use.
   */
  static Object load(byte[] pickle, StorageSource storages, boolean bigEndian, long tensorBudget) {
    RestrictedUnpickler u = new RestrictedUnpickler(storages, bigEndian, pickle.length, tensorBudget);
    try {
      return u.load(new ByteArrayInputStream(pickle));
    } catch (ModelFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException("malformed pickle data.pkl: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      // NOTE: nothing here recurses on the pickle's structure (keys must be hashable atoms); this stays as a last guard.
      throw new ModelFileException("refused pickle data.pkl: its structure is nested too deeply to read");
    } finally {
      u.close();
    }
  }

  @Override
  protected Object dispatch(short key) throws PickleException, IOException {
    switch (key) {
      case 'c' -> { // GLOBAL: "module\nname\n"
        String module = line();
        String name = line();
        stack.add(global(module, name));
        return NO_RETURN_VALUE;
      }
      case 0x93 -> { // STACK_GLOBAL
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
          throw new ModelFileException("STACK_GLOBAL needs two strings, found " + TorchPickle.describe(module) + " and " + TorchPickle.describe(name));
        }
        stack.add(global(m, n));
        return NO_RETURN_VALUE;
      }
      case 'R' -> { // REDUCE: callable(*args)
        Object args = stack.pop();
        Object callable = stack.pop();
        stack.add(reduce(callable, args));
        return NO_RETURN_VALUE;
      }
      case 'b' -> { // BUILD: obj.__setstate__(state)
        stack.pop();
        Object target = stack.peek();
        // NOTE: state_dict() pickles carry a '_metadata' attribute on the OrderedDict; it holds only
        // version numbers, so it is dropped. Any other object would need Python's __setstate__.
        if (!(target instanceof PyOrderedDict)) {
          throw new ModelFileException("refused pickle: BUILD (__setstate__) on " + TorchPickle.describe(target) + " is not allowed");
        }
        return NO_RETURN_VALUE;
      }
      case 'i', 'o', 0x81, 0x92 -> throw new ModelFileException(
          "refused pickle: opcode " + opName(key) + " constructs arbitrary Python objects and is not allowed");
      case 0x82, 0x83, 0x84 -> throw new ModelFileException("refused pickle: extension registry opcodes (EXT1/2/4) are not allowed");
      case '}' -> { // EMPTY_DICT: keep insertion order, as Python does
        stack.add(new LinkedHashMap<Object, Object>());
        return NO_RETURN_VALUE;
      }
      case 'u' -> { // SETITEMS: razorvine collects into a HashMap first; keep the file's order instead
        setItems();
        return NO_RETURN_VALUE;
      }
      case 's' -> { // SETITEM
        Object value = stack.pop();
        Object k = hashable(stack.pop(), "a dict key");
        if (!(stack.peek() instanceof Map<?, ?> m)) throw new ModelFileException("malformed pickle data.pkl: SETITEM on " + TorchPickle.describe(stack.peek()));
        put(m, k, value);
        return NO_RETURN_VALUE;
      }
      case 0x8f, 0x90, 0x91 -> throw new ModelFileException(
          "refused pickle: sets (EMPTY_SET/ADDITEMS/FROZENSET) are not part of a state_dict");
      case 'T', 'B', 'X', 0x8b -> checkLength(4);
      case 0x8d, 0x8e, 0x96 -> checkLength(8);
      default -> { }
    }
    return super.dispatch(key);
  }

  @SuppressWarnings("unchecked")
  private void setItems() {
    List<Object> kv = stack.pop_all_since_marker();
    if (kv.size() % 2 != 0) throw new ModelFileException("malformed pickle data.pkl: SETITEMS with an odd number of items");
    if (!(stack.peek() instanceof Map<?, ?> m)) throw new ModelFileException("malformed pickle data.pkl: SETITEMS on " + TorchPickle.describe(stack.peek()));
    for (int i = 0; i < kv.size(); i += 2) put(m, hashable(kv.get(i), "a dict key"), kv.get(i + 1));
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<?, ?> m, Object k, Object v) { ((Map<Object, Object>) m).put(k, v); }

  /**
   * Refuses what Python cannot hash either (lists, dicts): Java hashes those by content, recursively, so a
   * list holding itself, or nested 200,000 deep, as a key would hash forever or overflow the stack.
   */
  static Object hashable(Object k, String what) {
    if (k instanceof List<?> || k instanceof Map<?, ?> || k instanceof java.util.Set<?>) {
      throw new ModelFileException("refused pickle: " + what + " is a " + TorchPickle.describe(k) + ", which Python cannot hash either");
    }
    return k;
  }

  private static String opName(short key) {
    return switch (key) {
      case 'i' -> "INST";
      case 'o' -> "OBJ";
      case 0x81 -> "NEWOBJ";
      default -> "NEWOBJ_EX";
    };
  }

  /** Refuses a length-prefixed value longer than what is left of the pickle, before anything is allocated. */
  private void checkLength(int width) throws IOException {
    input.mark(width);
    byte[] b = input.readNBytes(width);
    input.reset();
    if (b.length < width) throw new ModelFileException("malformed pickle data.pkl: truncated length field");
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    long len = width == 4 ? Integer.toUnsignedLong(bb.getInt()) : bb.getLong();
    if (len < 0 || len > input.available()) {
      throw new ModelFileException("malformed pickle data.pkl: a value declares " + Long.toUnsignedString(len)
          + " bytes but only " + input.available() + " of " + pickleSize + " remain");
    }
  }

  private String line() throws IOException {
    byte[] buf = new byte[256];
    int n = 0;
    while (true) {
      int c = input.read();
      if (c < 0) throw new ModelFileException("malformed pickle data.pkl: truncated GLOBAL");
      if (c == '\n') break;
      if (n == buf.length) throw new ModelFileException("malformed pickle data.pkl: GLOBAL name longer than 256 bytes");
      buf[n++] = (byte) c;
    }
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  private static PyGlobal global(String module, String name) {
    PyGlobal g = new PyGlobal(module, name);
    if (!TorchPickle.allowed(g.qualified())) {
      throw new ModelFileException("refused pickle: it references the Python global " + g.qualified()
          + ", which is not a tensor, storage or OrderedDict; nothing was executed");
    }
    return g;
  }

  private Object reduce(Object callable, Object args) {
    if (!(callable instanceof PyGlobal g)) {
      throw new ModelFileException("refused pickle: REDUCE on " + TorchPickle.describe(callable) + ", which is not an allowed global");
    }
    Object[] a = args instanceof Object[] t ? t : null;
    if (a == null) throw new ModelFileException("refused pickle: REDUCE of " + g + " with arguments " + TorchPickle.describe(args));
    return switch (g.qualified()) {
      case TorchPickle.REBUILD_TENSOR -> rebuildTensor(a);
      case TorchPickle.REBUILD_PARAMETER -> {
        if (a.length < 1 || !(a[0] instanceof HostTensor t)) throw new ModelFileException(g + " expects a tensor as its first argument");
        yield t;
      }
      case TorchPickle.ORDERED_DICT -> orderedDict(a);
      default -> throw new ModelFileException("refused pickle: " + g + " may only appear as a storage type, not be called");
    };
  }

  private static PyOrderedDict orderedDict(Object[] a) {
    PyOrderedDict d = new PyOrderedDict();
    if (a.length == 0) return d;
    if (a.length == 1 && a[0] instanceof List<?> items) {
      for (Object item : items) {
        if (!(item instanceof Object[] kv) || kv.length != 2) throw new ModelFileException("OrderedDict items must be (key, value) pairs");
        d.put(hashable(kv[0], "an OrderedDict key"), kv[1]);
      }
      return d;
    }
    throw new ModelFileException("refused pickle: OrderedDict called with " + a.length + " unexpected arguments");
  }

  // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
  private HostTensor rebuildTensor(Object[] a) {
    if (a.length < 4) throw new ModelFileException(TorchPickle.REBUILD_TENSOR + " expects at least 4 arguments, found " + a.length);
    if (!(a[0] instanceof StorageRef s)) throw new ModelFileException("tensor storage must be a persistent storage id, found " + TorchPickle.describe(a[0]));
    long offset = TorchPickle.toLong(a[1], "storage offset");
    long[] size = longs(a[2], "size");
    long[] stride = longs(a[3], "stride");
    HostTensor t = Strided.materialise(s, offset, size, stride, bigEndian, tensorBudget);
    tensorBudget -= t.size() * t.dtype().byteSize();
    return t;
  }

  private static long[] longs(Object o, String what) {
    if (!(o instanceof Object[] t)) throw new ModelFileException("tensor " + what + " must be a tuple, found " + TorchPickle.describe(o));
    long[] r = new long[t.length];
    for (int i = 0; i < t.length; i++) r[i] = TorchPickle.toLong(t[i], "tensor " + what);
    return r;
  }

  @Override
  protected Object persistentLoad(Object pid) {
    if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0])) {
      throw new ModelFileException("refused pickle: persistent id " + TorchPickle.describe(pid) + " is not ('storage', type, key, location, numel)");
    }
    DType dtype = TorchPickle.storageType(t[1]);
    if (!(t[2] instanceof String key)) throw new ModelFileException("storage key must be a string, found " + TorchPickle.describe(t[2]));
    long numel = TorchPickle.toLong(t[4], "storage numel");
    return storages.storage(key, dtype, numel);
  }

}
