package dev.kiln.spec.ir;

import dev.kiln.spec.HostTensor;

/**
 * A graph parameter: its value, whether training updates it, and how its initial value was made
 * (e.g. {@code glorot_uniform(seed=42)}), kept as provenance.
 */
public record Parameter(Value value, HostTensor initial, boolean trainable, String initializer) {
  public String name() { return value.name(); }

  public Parameter withTrainable(boolean t) { return new Parameter(value, initial, t, initializer); }

  public Parameter withInitial(HostTensor v) { return new Parameter(value, v, trainable, initializer); }
}
