package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.op.AttrSpec;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Imports a one-to-one ONNX op by reading the IR op's declared {@link Onnx.Simple} form backwards:
 * ONNX attributes map back to IR attributes by the form's name map (converted to the IR attribute's
 * kind), trailing constant inputs (the form's {@code attrAsInput}s) become IR attributes, and older
 * opsets that carried those as attributes of the same name are read too.
 */
final class SimpleImporter implements NodeImporter {
  private final Op op;
  private final Onnx.Simple form;

  SimpleImporter(Op op, Onnx.Simple form) {
    this.op = op;
    this.form = form;
  }

  @Override public void importNode(NodeProto node, ImportContext ctx) {
    int declared = op.signature().isVariadic() ? ctx.inputCount() - form.attrInputs().size() : op.signature().inputNames().size();
    Attrs attrs = Attrs.EMPTY;
    for (AttributeProto a : node.getAttributeList()) {
      if (ctx.isLegacyHint(a)) continue;
      String ir = irName(a.getName());
      if (ir == null) {
        Object fixed = form.constAttrs().get(a.getName());
        if (fixed != null && fixed.equals(ProtoAttrs.toIr(a, kindOf(fixed), ctx))) continue;
        if (form.attrInputs().contains(a.getName())) continue; // an older opset's attribute form, read below
        throw ctx.unsupported("attribute '" + a.getName() + "' is not supported");
      }
      attrs = attrs.with(ir, ProtoAttrs.toIr(a, spec(ir).kind(), ctx));
    }
    for (int k = 0; k < form.attrInputs().size(); k++) {
      String ir = form.attrInputs().get(k);
      int idx = declared + k;
      long[] v;
      if (ctx.hasInput(idx)) {
        HostTensor t = ctx.requireConstant(idx, ir);
        v = t.toLongs();
      } else if (ctx.attr(ir) != null) {
        v = ctx.attrInts(ir, null);
      } else {
        continue; // left out: the IR default applies (e.g. Reduce with no axes)
      }
      attrs = attrs.with(ir, v);
    }
    if (ctx.inputCount() > declared + form.attrInputs().size()) {
      throw ctx.unsupported("takes at most " + (declared + form.attrInputs().size()) + " inputs, got " + ctx.inputCount());
    }
    List<Object> ins = new ArrayList<>();
    for (int i = 0; i < Math.min(declared, ctx.inputCount()); i++) ins.add(ctx.in(i));
    while (!ins.isEmpty() && ins.get(ins.size() - 1) == null) ins.remove(ins.size() - 1);
    List<Object> outs = ctx.apply(op, ins, attrs);
    for (int i = 0; i < outs.size(); i++) ctx.define(i, outs.get(i));
  }

  private String irName(String onnxName) {
    for (Map.Entry<String, String> e : form.attrNames().entrySet()) if (e.getValue().equals(onnxName)) return e.getKey();
    return null;
  }

  private AttrSpec spec(String ir) {
    return op.signature().attrs().stream().filter(s -> s.name().equals(ir)).findFirst().orElseThrow();
  }

  private static AttrSpec.AttrKind kindOf(Object v) {
    if (v instanceof Long) return AttrSpec.AttrKind.INT;
    if (v instanceof Double) return AttrSpec.AttrKind.FLOAT;
    if (v instanceof long[]) return AttrSpec.AttrKind.INTS;
    return AttrSpec.AttrKind.STRING;
  }

  @Override public String toString() { return "Simple(" + op.name() + " <- " + form.opType() + " " + Arrays.toString(form.attrInputs().toArray()) + ")"; }
}
