package dev.kiln.interop.torch;

/**
 * A Python global ({@code module.name}) named by a pickle, kept as an inert marker: the restricted
 * unpickler only ever compares it with its allowlist and never resolves or calls anything by it.
 */
record PyGlobal(String module, String name) {
  String qualified() { return module + "." + name; }

  @Override public String toString() { return qualified(); }
}
