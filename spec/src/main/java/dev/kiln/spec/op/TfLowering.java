package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An op's TensorFlow form, declared as data: one TF op with attribute mappings ({@code TfLowering.op("Relu")}),
 * a handler for the hard cases ({@code TfLowering.custom(name)}: the TF back end's handler table, keyed by op,
 * holds the code), or a reason it is unsupported. Nothing here depends on TensorFlow.
 */
public final class TfLowering {
  private final String opType;
  private final Map<String, String> attrNames = new LinkedHashMap<>();
  private final Map<String, Function<Object, Object>> attrConverters = new LinkedHashMap<>();
  private final Map<String, Object> constAttrs = new LinkedHashMap<>();
  private final Map<String, DType> attrInputs = new LinkedHashMap<>();
  private final boolean handler;
  private final String unsupportedReason;

  private TfLowering(String opType, boolean handler, String unsupportedReason) {
    this.opType = opType;
    this.handler = handler;
    this.unsupportedReason = unsupportedReason;
  }

  /** One TF op of the given type with the node's inputs in order. */
  public static TfLowering op(String tfOpType) { return new TfLowering(tfOpType, false, null); }

  /**
   * A hand-written handler, which a TF back end registers under the op's name; {@code name} says what it
   * emits, for the op table (e.g. {@code "StridedSlice"}).
   */
  public static TfLowering custom(String name) { return new TfLowering(name, true, null); }

  public static TfLowering unsupported(String why) { return new TfLowering(null, false, why); }

  public TfLowering attr(String irName, String tfName) { return attr(irName, tfName, v -> v); }

  public TfLowering attr(String irName, String tfName, Function<Object, Object> convert) {
    attrNames.put(irName, tfName);
    attrConverters.put(irName, convert);
    return this;
  }

  /**
   * Passes IR attribute {@code irName} (a long, long[] or double[]) as an extra constant input of the given
   * dtype, after the node's inputs and in declaration order: TF ops take axes, shapes and paddings as
   * tensors where ONNX and the IR hold attributes (e.g. {@code Sum}'s {@code reduction_indices}).
   */
  public TfLowering attrAsInput(String irName, DType dtype) {
    attrInputs.put(irName, dtype);
    return this;
  }

  public TfLowering constAttr(String tfName, Object value) {
    constAttrs.put(tfName, value);
    return this;
  }

  public boolean isSupported() { return unsupportedReason == null; }

  /** Whether this is a handler form ({@link #custom}): the back end's handler for the op emits it. */
  public boolean isCustom() { return handler; }

  public String unsupportedReason() { return unsupportedReason; }

  /** TF op type, or the handler's name for handler forms. */
  public String opType() { return opType; }

  public Map<String, String> attrNames() { return Map.copyOf(attrNames); }

  public Map<String, Object> constAttrs() { return Map.copyOf(constAttrs); }

  /** IR attributes passed as extra constant inputs, with their dtypes, in order. */
  public Map<String, DType> attrInputs() { return java.util.Collections.unmodifiableMap(attrInputs); }

  public Function<Object, Object> converter(String irName) { return attrConverters.get(irName); }
}
