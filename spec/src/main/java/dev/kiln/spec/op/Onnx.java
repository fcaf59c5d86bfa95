package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Declarative ONNX lowerings: {@code Onnx.op("Relu", 14)} maps an IR node one-to-one onto an ONNX
 * node; {@code .attr(...)} copies attributes, {@code .attrAsInput(...)} passes an IR attribute as a
 * constant input (as newer opsets want axes, shapes and pads), {@code .constAttr(...)} fixes one.
 */
public final class Onnx {
  private Onnx() {}

  /** A one-to-one form for {@code opType}, valid from opset {@code since}. */
  public static Simple op(String opType, int since) { return new Simple(opType, since); }

  /** A hand-written form for ops that need several ONNX nodes. */
  public static OnnxForm custom(String opType, int since, java.util.function.Consumer<OnnxEmitter> handler) {
    return new OnnxForm() {
      @Override public int since() { return since; }
      @Override public String opType() { return opType; }
      @Override public void emit(OnnxEmitter e) { handler.accept(e); }
    };
  }

  /** Several forms of one op, e.g. an attribute that became an input at opset 13. */
  public static OnnxLowering forms(OnnxForm... forms) { return OnnxLowering.of(forms); }

  public static OnnxLowering unsupported(String why) { return OnnxLowering.unsupported(why); }

  /** A one-to-one form; also usable directly as a single-form lowering via {@link #lowering()}. */
  public static final class Simple implements OnnxForm {
    private final String opType;
    private final int since;
    private final Map<String, String> attrNames = new LinkedHashMap<>();
    private final Map<String, Function<Object, Object>> attrConverters = new LinkedHashMap<>();
    private final Map<String, Object> constAttrs = new LinkedHashMap<>();
    private final List<String> attrInputs = new ArrayList<>();
    private final Map<String, DType> attrInputTypes = new LinkedHashMap<>();
    private DType fallbackDType;
    private java.util.function.Consumer<OnnxEmitter> fallback;

    private Simple(String opType, int since) {
      this.opType = opType;
      this.since = since;
    }

    /** Copies IR attribute {@code name} to the ONNX attribute of the same name. */
    public Simple attr(String name) { return attr(name, name); }

    /** Copies IR attribute {@code irName} to ONNX attribute {@code onnxName}. */
    public Simple attr(String irName, String onnxName) { return attr(irName, onnxName, v -> v); }

    /** Copies and converts, e.g. a boolean to 0/1. */
    public Simple attr(String irName, String onnxName, Function<Object, Object> convert) {
      attrNames.put(irName, onnxName);
      attrConverters.put(irName, convert);
      return this;
    }

    /** Sets an ONNX attribute to a fixed value. */
    public Simple constAttr(String onnxName, Object value) {
      constAttrs.put(onnxName, value);
      return this;
    }

    /** Appends IR attribute {@code irName} (ints) as a constant input tensor of {@code dtype}. */
    public Simple attrAsInput(String irName, DType dtype) {
      attrInputs.add(irName);
      attrInputTypes.put(irName, dtype);
      return this;
    }

    /**
     * Emits {@code handler}'s nodes instead when input 0 has dtype {@code dtype}: for ops ONNX Runtime has no
     * kernel of that dtype for (Elu, Softplus... in f64), spelled in primitives it does have.
     */
    public Simple orElseFor(DType dtype, java.util.function.Consumer<OnnxEmitter> handler) {
      fallbackDType = dtype;
      fallback = handler;
      return this;
    }

    public OnnxLowering lowering() { return OnnxLowering.of(this); }

    /** IR attribute name to ONNX attribute name (read backwards by the ONNX importer). */
    public Map<String, String> attrNames() { return java.util.Collections.unmodifiableMap(attrNames); }

    /** ONNX attributes this form fixes, by ONNX name. */
    public Map<String, Object> constAttrs() { return java.util.Collections.unmodifiableMap(constAttrs); }

    /** IR attributes passed as trailing constant inputs, in input order. */
    public List<String> attrInputs() { return java.util.Collections.unmodifiableList(attrInputs); }

    @Override public int since() { return since; }

    @Override public String opType() { return opType; }

    @Override public void emit(OnnxEmitter e) {
      if (fallback != null && e.node().input(0).type().dtype() == fallbackDType) {
        fallback.accept(e);
        return;
      }
      Attrs a = e.node().attrs();
      List<String> ins = new ArrayList<>();
      for (int i = 0; i < e.node().inputs().size(); i++) ins.add(e.input(i));
      for (String name : attrInputs) {
        Object v = a.get(name);
        long[] vals = v instanceof long[] l ? l : new long[] {((Number) v).longValue()};
        HostTensor t = attrInputTypes.get(name) == DType.I64
            ? HostTensor.ofLongs(vals, vals.length)
            : HostTensor.ofInts(java.util.Arrays.stream(vals).mapToInt(Math::toIntExact).toArray(), vals.length);
        ins.add(e.constant(t, name));
      }
      Map<String, Object> attrs = new LinkedHashMap<>(constAttrs);
      attrNames.forEach((ir, onnx) -> {
        if (a.has(ir)) attrs.put(onnx, attrConverters.get(ir).apply(a.get(ir)));
      });
      List<String> outs = new ArrayList<>();
      for (int i = 0; i < e.node().outputs().size(); i++) outs.add(e.output(i));
      e.emit(opType, ins, outs, attrs);
    }
  }

  /** Converter for boolean IR attributes that ONNX spells as 0/1 ints. */
  public static Object boolToInt(Object b) { return ((Boolean) b) ? 1L : 0L; }
}
