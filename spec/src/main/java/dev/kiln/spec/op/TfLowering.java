package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An op's TensorFlow lowering, declared as data: one TF op with attribute mappings
 * ({@code Tf.op("Relu")}), a named handler for the hard cases, or a reason it is unsupported.
 */
public final class TfLowering {
  /** Builds the node's outputs from its inputs with a {@link TfEmitter}. */
  @FunctionalInterface
  public interface Handler {
    List<Object> emit(TfEmitter e);
  }

  private final String opType;
  private final Map<String, String> attrNames = new LinkedHashMap<>();
  private final Map<String, Function<Object, Object>> attrConverters = new LinkedHashMap<>();
  private final Map<String, Object> constAttrs = new LinkedHashMap<>();
  private final Map<String, DType> attrInputs = new LinkedHashMap<>();
  private final Handler handler;
  private final String unsupportedReason;

  private TfLowering(String opType, Handler handler, String unsupportedReason) {
    this.opType = opType;
    this.handler = handler;
    this.unsupportedReason = unsupportedReason;
  }

  /** One TF op of the given type with the node's inputs in order. */
  public static TfLowering op(String tfOpType) { return new TfLowering(tfOpType, null, null); }

  /** A named hand-written lowering. */
  public static TfLowering custom(String name, Handler handler) { return new TfLowering(name, handler, null); }

  public static TfLowering unsupported(String why) { return new TfLowering(null, null, why); }

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

  public boolean isCustom() { return handler != null; }

  public String unsupportedReason() { return unsupportedReason; }

  /** TF op type, or the handler's name for custom lowerings. */
  public String opType() { return opType; }

  public Map<String, String> attrNames() { return Map.copyOf(attrNames); }

  public Map<String, Object> constAttrs() { return Map.copyOf(constAttrs); }

  /** IR attributes passed as extra constant inputs, with their dtypes, in order. */
  public Map<String, DType> attrInputs() { return java.util.Collections.unmodifiableMap(attrInputs); }

  public Function<Object, Object> converter(String irName) { return attrConverters.get(irName); }

  public Handler handler() { return handler; }
}
