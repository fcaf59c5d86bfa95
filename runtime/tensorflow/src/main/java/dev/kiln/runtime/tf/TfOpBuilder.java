package dev.kiln.runtime.tf;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.UnsupportedOpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.OpDef;

/**
 * Adds TF ops to a graph through TF-Java's generic {@link GraphOperationBuilder}, driven by TF's own
 * op definitions ({@link OpDef}): inputs are bound to the op's argument lists, attribute values are
 * converted to the attribute's declared kind, and type attributes a declaration leaves out ({@code T},
 * {@code Tidx}, {@code dtype}, ...) are inferred from the dtypes of the inputs and expected outputs.
 */
final class TfOpBuilder {
  static {
    OneDnn.configure();  // before TensorFlow's native library loads
  }

  private static volatile Map<String, OpDef> opDefs;

  private final Graph graph;
  private final String prefix;
  private final Map<String, Integer> usedNames = new HashMap<>();

  TfOpBuilder(Graph graph) { this(graph, ""); }

  /** A builder whose op names all start with {@code prefix} (so two lowerings can share one TF graph). */
  TfOpBuilder(Graph graph, String prefix) {
    this.graph = graph;
    this.prefix = prefix;
  }

  /** TF's definition of op {@code type}, or null if this TF build has no such op. */
  static OpDef opDef(String type) {
    Map<String, OpDef> m = opDefs;
    if (m == null) {
      synchronized (TfOpBuilder.class) {
        if (opDefs == null) {
          Map<String, OpDef> all = new HashMap<>();
          for (OpDef d : TensorFlow.registeredOpList().getOpList()) all.put(d.getName(), d);
          opDefs = all;
        }
        m = opDefs;
      }
    }
    return m.get(type);
  }

  /** A graph-unique TF op name derived from {@code hint} (TF allows [A-Za-z0-9.][A-Za-z0-9_.\-/]*). */
  String uniqueName(String hint) {
    String base = prefix + hint.replaceAll("[^A-Za-z0-9_.\\-/]", "_");
    if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) && base.charAt(0) != '.') base = "k" + base;
    Integer n = usedNames.get(base);
    if (n == null) {
      usedNames.put(base, 1);
      return base;
    }
    String candidate;
    do {
      candidate = base + "_" + n++;
    } while (usedNames.containsKey(candidate));
    usedNames.put(base, n);
    usedNames.put(candidate, 1);
    return candidate;
  }

  /**
   * Adds one op and returns all its outputs.
   *
   * @param outDTypes the dtypes its outputs must have (used to infer output type attributes), or null
   */
  List<Output<?>> op(String type, String nameHint, List<Output<?>> inputs, Map<String, Object> attrs, List<DType> outDTypes) {
    if (TfKernelGuard.distrusts(type) && inputs.stream().anyMatch(i -> i.dataType() == DataType.DT_FLOAT)) {
      return viaF64(type, nameHint, inputs, attrs, outDTypes);
    }
    GraphOperation op = operation(type, nameHint, inputs, attrs, outDTypes);
    List<Output<?>> outs = new ArrayList<>();
    for (int i = 0; i < op.numOutputs(); i++) outs.add(op.output(i));
    return outs;
  }

  /**
   * {@code type} computed in f64 for a kernel {@link TfKernelGuard} distrusts in f32: f32 inputs are cast
   * up, f64 outputs back down, so callers see the f32 op they asked for.
   */
  private List<Output<?>> viaF64(String type, String nameHint, List<Output<?>> inputs, Map<String, Object> attrs,
                                 List<DType> outDTypes) {
    List<Output<?>> up = new ArrayList<>();
    for (Output<?> in : inputs) {
      up.add(in.dataType() == DataType.DT_FLOAT ? op("Cast", nameHint + "/f64_in", List.of(in), Map.of("DstT", DType.F64), null).get(0) : in);
    }
    List<DType> outs = outDTypes == null ? null : outDTypes.stream().map(d -> d == DType.F32 ? DType.F64 : d).toList();
    GraphOperation wide = operation(type, nameHint + "/f64", up, attrs, outs);
    List<Output<?>> down = new ArrayList<>();
    for (int i = 0; i < wide.numOutputs(); i++) {
      Output<?> o = wide.output(i);
      down.add(o.dataType() == DataType.DT_DOUBLE ? op("Cast", nameHint + "/f32_out", List.of(o), Map.of("DstT", DType.F32), null).get(0) : o);
    }
    return down;
  }

  /** Adds one op and returns it (for ops without outputs, such as {@code AssignVariableOp}). */
  GraphOperation operation(String type, String nameHint, List<Output<?>> inputs, Map<String, Object> attrs,
                           List<DType> outDTypes) {
    return operation(type, nameHint, inputs, attrs, outDTypes, List.of());
  }

  /** Adds one op that runs only after every op in {@code after} (control dependencies). */
  GraphOperation operation(String type, String nameHint, List<Output<?>> inputs, Map<String, Object> attrs,
                           List<DType> outDTypes, List<GraphOperation> after) {
    OpDef def = opDef(type);
    if (def == null) throw new UnsupportedOpException("TensorFlow has no op '" + type + "'");
    Map<String, Object> all = new LinkedHashMap<>(attrs);
    GraphOperationBuilder b = graph.opBuilder(type, uniqueName(nameHint), graph.baseScope());
    bindInputs(def, b, inputs, all);
    for (GraphOperation op : after) b.addControlInput(op);
    if (outDTypes != null) inferFromOutputs(def, outDTypes, all);
    try {
      for (Map.Entry<String, Object> e : all.entrySet()) setAttr(def, b, e.getKey(), e.getValue());
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new KilnException("TensorFlow rejected op " + type + " with inputs " + describe(inputs) + " and attributes "
          + describeAttrs(all) + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** Binds the flat input list to the op's argument lists, inferring type, number and type-list attributes. */
  private static void bindInputs(OpDef def, GraphOperationBuilder b, List<Output<?>> inputs, Map<String, Object> attrs) {
    List<OpDef.ArgDef> args = def.getInputArgList();
    int next = 0;
    for (int a = 0; a < args.size(); a++) {
      OpDef.ArgDef arg = args.get(a);
      boolean list = !arg.getNumberAttr().isEmpty() || !arg.getTypeListAttr().isEmpty();
      if (!list) {
        if (next >= inputs.size()) {
          throw new KilnException("TF op " + def.getName() + " needs input '" + arg.getName() + "' (argument " + a
              + " of " + args.size() + "), but only " + inputs.size() + " inputs were given");
        }
        Output<?> in = inputs.get(next++);
        if (!arg.getTypeAttr().isEmpty()) attrs.putIfAbsent(arg.getTypeAttr(), in.dataType());
        b.addInput(in);
        continue;
      }
      int laterSingles = 0;
      for (int k = a + 1; k < args.size(); k++) {
        if (args.get(k).getNumberAttr().isEmpty() && args.get(k).getTypeListAttr().isEmpty()) laterSingles++;
      }
      int count;
      if (!arg.getNumberAttr().isEmpty() && attrs.get(arg.getNumberAttr()) instanceof Number n) count = n.intValue();
      else count = inputs.size() - next - laterSingles;
      if (count < 0 || next + count > inputs.size()) {
        throw new KilnException("TF op " + def.getName() + ": cannot bind " + inputs.size() + " inputs to its arguments");
      }
      Output<?>[] group = inputs.subList(next, next + count).toArray(new Output<?>[0]);
      next += count;
      if (!arg.getNumberAttr().isEmpty()) {
        attrs.putIfAbsent(arg.getNumberAttr(), (long) count);
        if (!arg.getTypeAttr().isEmpty() && count > 0) attrs.putIfAbsent(arg.getTypeAttr(), group[0].dataType());
      } else {
        DataType[] types = new DataType[count];
        for (int i = 0; i < count; i++) types[i] = group[i].dataType();
        attrs.putIfAbsent(arg.getTypeListAttr(), types);
      }
      b.addInputList(group);
    }
    if (next != inputs.size()) {
      throw new KilnException("TF op " + def.getName() + " takes " + next + " inputs " + argNames(def) + ", got " + inputs.size());
    }
  }

  /** Output type attributes (e.g. Const's {@code dtype}, Cast's {@code DstT}) from the expected output dtypes. */
  private static void inferFromOutputs(OpDef def, List<DType> outDTypes, Map<String, Object> attrs) {
    List<OpDef.ArgDef> args = def.getOutputArgList();
    for (int i = 0; i < args.size() && i < outDTypes.size(); i++) {
      OpDef.ArgDef arg = args.get(i);
      if (!arg.getTypeAttr().isEmpty() && arg.getNumberAttr().isEmpty()) attrs.putIfAbsent(arg.getTypeAttr(), outDTypes.get(i));
    }
  }

  private static void setAttr(OpDef def, GraphOperationBuilder b, String name, Object v) {
    String kind = def.getAttrList().stream().filter(a -> a.getName().equals(name)).map(OpDef.AttrDef::getType).findFirst()
        .orElseThrow(() -> new KilnException("TF op " + def.getName() + " has no attribute '" + name + "'; it has "
            + def.getAttrList().stream().map(a -> a.getName() + ": " + a.getType()).toList()));
    try {
      switch (kind) {
        case "int" -> b.setAttr(name, ((Number) v).longValue());
        case "float" -> b.setAttr(name, ((Number) v).floatValue());
        case "bool" -> b.setAttr(name, (Boolean) v);
        case "string" -> b.setAttr(name, (String) v);
        case "type" -> b.setAttr(name, v instanceof DataType t ? t : TfTypes.dataType((DType) v));
        case "shape" -> b.setAttr(name, v instanceof Shape s ? s : Shape.of((long[]) v));
        case "tensor" -> b.setAttr(name, AttrValue.newBuilder().setTensor(TfTensors.toProto((HostTensor) v)).build());
        case "list(int)" -> b.setAttr(name, v instanceof Number n ? new long[] {n.longValue()} : (long[]) v);
        case "list(float)" -> b.setAttr(name, floats(v));
        case "list(type)" -> {
          Object[] ds = (Object[]) v;
          DataType[] ts = new DataType[ds.length];
          for (int i = 0; i < ds.length; i++) ts[i] = ds[i] instanceof DataType t ? t : TfTypes.dataType((DType) ds[i]);
          b.setAttr(name, ts);
        }
        case "list(string)" -> b.setAttr(name, (String[]) v);
        default -> throw new KilnException("attribute kind " + kind + " is not handled");
      }
    } catch (ClassCastException e) {
      throw new KilnException("TF op " + def.getName() + " attribute '" + name + "' is " + kind + ", cannot take "
          + v.getClass().getSimpleName() + " " + v);
    }
  }

  private static float[] floats(Object v) {
    if (v instanceof Number n) return new float[] {n.floatValue()};
    double[] d = (double[]) v;
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  private static List<String> argNames(OpDef def) { return def.getInputArgList().stream().map(OpDef.ArgDef::getName).toList(); }

  private static String describe(List<Output<?>> inputs) {
    List<String> s = new ArrayList<>();
    for (Output<?> o : inputs) s.add(o.dataType() + o.shape().toString());
    return s.toString();
  }

  private static String describeAttrs(Map<String, Object> attrs) {
    StringBuilder s = new StringBuilder("{");
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      if (s.length() > 1) s.append(", ");
      Object v = e.getValue();
      s.append(e.getKey()).append('=').append(v instanceof long[] l ? java.util.Arrays.toString(l)
          : v instanceof double[] d ? java.util.Arrays.toString(d) : v instanceof Object[] o ? java.util.Arrays.toString(o) : v);
    }
    return s.append('}').toString();
  }

  private static String firstLine(String s) {
    if (s == null) return "(no message)";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
