package dev.kiln.spec.op;

import dev.kiln.spec.op.AttrSpec.AttrKind;
import java.util.ArrayList;
import java.util.List;

/**
 * An op's inputs and attributes. Inputs are named; the last may be variadic (Concat), trailing
 * ones may be optional.
 */
public final class Signature {
  private final List<String> inputs = new ArrayList<>();
  private final List<AttrSpec> attrs = new ArrayList<>();
  private int optionalFrom = Integer.MAX_VALUE;
  private boolean variadic;
  private int outputs = 1;
  private boolean outputsVary;

  public static Signature inputs(String... names) {
    Signature s = new Signature();
    s.inputs.addAll(List.of(names));
    return s;
  }

  /** The last input may repeat one or more times. */
  public Signature variadic() {
    variadic = true;
    return this;
  }

  /** Inputs from {@code index} on may be left out. */
  public Signature optionalFrom(int index) {
    optionalFrom = index;
    return this;
  }

  public Signature outputs(int n) {
    outputs = n;
    return this;
  }

  /** The number of outputs depends on the attributes (Split's pieces, LayerNormalization's statistics). */
  public Signature varyingOutputs() {
    outputsVary = true;
    return this;
  }

  public Signature attr(String name, AttrKind kind, Object dflt, String doc) {
    attrs.add(AttrSpec.optional(name, kind, dflt, doc));
    return this;
  }

  public Signature required(String name, AttrKind kind, String doc) {
    attrs.add(AttrSpec.required(name, kind, doc));
    return this;
  }

  public List<String> inputNames() { return List.copyOf(inputs); }

  public List<AttrSpec> attrs() { return List.copyOf(attrs); }

  public boolean isVariadic() { return variadic; }

  /** The number of outputs (the most common number where {@link #varyingOutputs()}). */
  public int outputCount() { return outputs; }

  public boolean outputsVary() { return outputsVary; }

  /** Whether an application may have more than one output (the facade then returns a list). */
  public boolean hasSeveralOutputs() { return outputs > 1 || outputsVary; }

  /** With {@link #variadic()} and {@link #optionalFrom} on the last input, it may also appear zero times (If's captures). */
  public int minInputs() { return Math.min(inputs.size(), optionalFrom); }

  public int maxInputs() { return variadic ? Integer.MAX_VALUE : inputs.size(); }
}
