package dev.kiln.interop.torch;

import dev.kiln.spec.DType;
import dev.kiln.spec.ModelFileException;
import java.util.Map;
import java.util.Set;

/** The allowlist of Python globals a {@code torch.save} pickle may name, and what each storage class holds. */
final class TorchPickle {
  private TorchPickle() {}

  static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
  static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";
  static final String ORDERED_DICT = "collections.OrderedDict";

  /** Typed storage classes by element type; PyTorch 2 writes the same names for compatibility. */
  static final Map<String, DType> STORAGE_TYPES = Map.ofEntries(
      Map.entry("torch.FloatStorage", DType.F32), Map.entry("torch.DoubleStorage", DType.F64),
      Map.entry("torch.HalfStorage", DType.F16), Map.entry("torch.BFloat16Storage", DType.BF16),
      Map.entry("torch.CharStorage", DType.I8), Map.entry("torch.ShortStorage", DType.I16),
      Map.entry("torch.IntStorage", DType.I32), Map.entry("torch.LongStorage", DType.I64),
      Map.entry("torch.ByteStorage", DType.U8), Map.entry("torch.BoolStorage", DType.BOOL),
      // Untyped storages count bytes.
      Map.entry("torch.storage.UntypedStorage", DType.U8), Map.entry("torch.UntypedStorage", DType.U8),
      Map.entry("torch.storage._UntypedStorage", DType.U8));

  private static final Set<String> CALLABLE = Set.of(REBUILD_TENSOR, REBUILD_PARAMETER, ORDERED_DICT);

  /** True when the pickle may name {@code qualified} at all. */
  static boolean allowed(String qualified) {
    return CALLABLE.contains(qualified) || STORAGE_TYPES.containsKey(qualified) || qualified.equals("torch.storage.TypedStorage");
  }

  static DType storageType(Object type) {
    if (type instanceof PyGlobal g) {
      DType d = STORAGE_TYPES.get(g.qualified());
      if (d != null) return d;
      throw new ModelFileException("storage type " + g.qualified() + " is not supported (supported: " + STORAGE_TYPES.keySet() + ")");
    }
    throw new ModelFileException("persistent id names storage type " + describe(type) + ", expected a torch storage class");
  }

  static long toLong(Object o, String what) {
    if (o instanceof Integer i) return i;
    if (o instanceof Long l) return l;
    if (o instanceof java.math.BigInteger b) {
      if (b.bitLength() < 63) return b.longValue();
      throw new ModelFileException(what + " " + b + " is out of range");
    }
    throw new ModelFileException(what + " must be an integer, found " + describe(o));
  }

  static String describe(Object o) {
    if (o == null) return "None";
    if (o instanceof Object[] a) return "tuple of " + a.length;
    return o.getClass().getSimpleName();
  }
}
