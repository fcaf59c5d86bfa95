package dev.kiln.interop.torch;

import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ModelFileException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors read from a weights file, in file order. A {@code torch.save}d checkpoint may nest
 * them ({@code {"model": state_dict, "optimizer": ..., "epoch": n}}): {@link #at} steps into a nested
 * dict, {@link #tensors} gives this level's tensors, {@link #flatten} all tensors with dotted names.
 * Values other than tensors and dicts (numbers, strings, lists) are kept as plain Java values.
 */
public final class StateDict {
  private final Map<String, Object> entries;

  StateDict(Map<String, Object> entries) { this.entries = Collections.unmodifiableMap(entries); }

  /** A state dict of the given tensors, in the map's order. */
  public static StateDict of(Map<String, HostTensor> tensors) { return new StateDict(new LinkedHashMap<>(tensors)); }

  /** The state dict of an unpickled root object, copied within {@code limits} (see {@link PickleTree}). */
  static StateDict fromPickle(Object root, ReadLimits limits) {
    if (!(root instanceof Map<?, ?> m)) {
      throw new ModelFileException("the file holds a " + TorchPickle.describe(root) + ", not a dict of tensors (a state_dict)");
    }
    return new StateDict(PickleTree.copyRoot(m, limits));
  }

  /** The keys at this level, in file order. */
  public Set<String> keys() { return entries.keySet(); }

  /** The raw value of {@code key}: a {@link HostTensor}, a nested {@code StateDict}, or a plain value; null when absent. */
  public Object value(String key) { return entries.get(key); }

  /** The nested dict under {@code key} (dots step further: {@code at("model")}). */
  public StateDict at(String key) {
    Object v = entries.get(key);
    if (v instanceof StateDict s) return s;
    if (v == null) throw new ModelFileException("no entry '" + key + "' in this state dict; it has " + entries.keySet());
    throw new ModelFileException("entry '" + key + "' is a " + TorchPickle.describe(v) + ", not a nested dict");
  }

  /** This level's tensors, in file order. */
  public Map<String, HostTensor> tensors() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> { if (v instanceof HostTensor t) out.put(k, t); });
    return out;
  }

  /**
   * Every tensor at any depth, nested names joined with dots ({@code model.fc1.weight}); tensors in lists get their
   * index. Bounded: reading counted every place a value appears against {@link ReadLimits#maxPickleElements}.
   */
  public Map<String, HostTensor> flatten() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> collect(k, v, out));
    return out;
  }

  private static void collect(String name, Object v, Map<String, HostTensor> out) {
    if (v instanceof HostTensor t) out.put(name, t);
    else if (v instanceof StateDict s) s.entries.forEach((k, x) -> collect(name + "." + k, x, out));
    else if (v instanceof List<?> l) for (int i = 0; i < l.size(); i++) collect(name + "." + i, l.get(i), out);
    else if (v instanceof Object[] a) for (int i = 0; i < a.length; i++) collect(name + "." + i, a[i], out);
  }

  /** The tensor {@code name} at this level. */
  public HostTensor tensor(String name) {
    if (entries.get(name) instanceof HostTensor t) return t;
    throw new ModelFileException("no tensor '" + name + "' in this state dict");
  }

  @Override public String toString() { return "StateDict" + entries.keySet(); }
}
