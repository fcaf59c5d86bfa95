package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Subgraphs;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ONNX {@code If} (1..21), {@code Loop} (1..21) and {@code Scan} (9..21) onto the IR ops of the same names. Each
 * subgraph is imported into a graph of its own through a child {@link ImportContext}: names it does not define
 * resolve in the enclosing graphs, a folding constant directly, anything else as a captured value (a trailing input of
 * the body and of the node). If's two branches get the same captured inputs (the union of both).
 */
final class ControlFlowImporters {
  private ControlFlowImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("If", ControlFlowImporters::ifNode);
    m.put("Loop", ControlFlowImporters::loop);
    m.put("Scan", ControlFlowImporters::scan);
  }

  /** An imported subgraph and the enclosing values it reads (its trailing inputs, in order). */
  record Body(Graph graph, List<Value> captures) {}

  private static void ifNode(NodeProto n, ImportContext c) {
    c.onlyAttrs("then_branch", "else_branch");
    HostTensor cond = c.constant(0);
    if (cond != null && cond.size() == 1) {
      // A condition known at import (exporters write shape checks so): only the taken branch, inlined.
      Body taken = body(c, cond.getDouble(0) != 0 ? "then_branch" : "else_branch", List.of());
      defineAll(c, new ArrayList<>(Subgraphs.inline(c.builder(), taken.graph(), taken.captures())));
      return;
    }
    Body then = body(c, "then_branch", List.of());
    Body other = body(c, "else_branch", List.of());
    List<Value> all = new ArrayList<>(then.captures());
    for (Value v : other.captures()) if (all.stream().noneMatch(w -> w == v)) all.add(v);
    Graph t = withCaptures(then, 0, all);
    Graph e = withCaptures(other, 0, all);
    List<Object> outs = Ops.if_(c, c.in(0), new ArrayList<>(all), t, e);
    defineAll(c, outs);
  }

  private static void loop(NodeProto n, ImportContext c) {
    c.onlyAttrs("body");
    // ONNX's absent trip count / condition: run until the condition / the trip count stops the loop.
    Object trips = c.hasInput(0) ? c.in(0) : HostTensor.ofLongs(new long[] {Long.MAX_VALUE});
    Object cond = c.hasInput(1) ? c.in(1) : HostTensor.ofBooleans(new boolean[] {true});
    List<Object> values = present(c, 2);
    List<TensorType> formals = new ArrayList<>(List.of(TensorType.of(DType.I64), TensorType.of(DType.BOOL)));
    for (Object v : values) formals.add(ImportContext.typeOf(v));
    Body body = body(c, "body", formals);
    Graph g = body.graph();
    values.addAll(body.captures());
    defineAll(c, Ops.loop(c, trips, cond, values, g, body.captures().size()));
  }

  private static void scan(NodeProto n, ImportContext c) {
    if (c.opset() < 9) {
      throw c.unsupported("Scan-8 (batched, with sequence_lens) is not supported; Kiln imports Scan from opset 9");
    }
    c.onlyAttrs("body", "num_scan_inputs", "scan_input_axes", "scan_input_directions", "scan_output_axes",
        "scan_output_directions");
    long m = c.attrInt("num_scan_inputs", -1);
    List<Object> values = present(c, 0);
    int states = values.size() - (int) m;
    if (m < 1 || states < 0) throw c.fail("num_scan_inputs = " + m + " does not fit its " + values.size() + " inputs");
    long[] axes = c.attrInts("scan_input_axes", new long[(int) m]);
    if (axes.length != m) throw c.fail("scan_input_axes has " + axes.length + " entries for " + m + " scan inputs");
    List<TensorType> formals = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      TensorType t = ImportContext.typeOf(values.get(i));
      if (i >= states) {
        int axis = t.shape().axis("Scan", axes[i - states]);
        List<Dim> dims = new ArrayList<>(t.shape().dims());
        dims.remove(axis);
        t = t.withShape(Shape.of(dims));
      }
      formals.add(t);
    }
    Body body = body(c, "body", formals);
    Attrs attrs = Attrs.of("body", body.graph(), "num_scan_inputs", m,
        "captures", (long) body.captures().size());
    for (String k : List.of("scan_input_axes", "scan_input_directions", "scan_output_axes", "scan_output_directions")) {
      if (c.attr(k) != null) attrs = attrs.with(k, c.attrInts(k, new long[0]));
    }
    values.addAll(body.captures());
    defineAll(c, Ops.scan(c, values, attrs));
  }

  /** The node's inputs from {@code from} on, each required. */
  private static List<Object> present(ImportContext c, int from) {
    List<Object> out = new ArrayList<>();
    for (int i = from; i < c.inputCount(); i++) {
      if (!c.hasInput(i)) throw c.unsupported("input " + i + " is left out; only the trip count and condition may be");
      out.add(c.in(i));
    }
    return out;
  }

  private static void defineAll(ImportContext c, List<Object> outs) {
    if (c.node().getOutputCount() > outs.size()) {
      throw c.fail("the node lists " + c.node().getOutputCount() + " outputs, its subgraph gives " + outs.size());
    }
    for (int i = 0; i < outs.size(); i++) c.define(i, outs.get(i));
  }

  /** Imports the subgraph attribute {@code attr} of the current node, whose formal inputs get {@code formals}. */
  static Body body(ImportContext c, String attr, List<TensorType> formals) {
    AttributeProto a = c.attr(attr);
    if (a == null || !a.hasG()) throw c.fail("attribute '" + attr + "' (a graph) is required");
    GraphProto g = a.getG();
    if (g.getInputCount() != formals.size()) {
      throw c.fail(attr + " declares " + g.getInputCount() + " inputs; the node gives it " + formals.size());
    }
    if (g.getOutputCount() == 0) throw c.fail(attr + " has no outputs");
    c.options().limits().checkNodes(attr, g.getNodeCount());
    String out = c.node().getOutputCount() > 0 && !c.node().getOutput(0).isEmpty() ? c.node().getOutput(0) : "node";
    GraphBuilder b = new GraphBuilder(out + "/" + attr);
    ImportContext child = c.child(b);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < formals.size(); i++) {
      ValueInfoProto in = g.getInput(i);
      if (!seen.add(in.getName())) throw c.fail(attr + " input '" + in.getName() + "' is listed twice");
      declaredDType(c, attr, in, formals.get(i));
      child.bindInput(in.getName(), b.input(in.getName(), formals.get(i)));
    }
    for (TensorProto t : g.getInitializerList()) {
      if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) throw c.unsupported(attr + " initializer '" + t.getName() + "' has external data");
      child.bindConstant(t.getName(), OnnxTensors.fromProto(t));
    }
    List<NodeProto> nodes = GraphChecks.sorted(g, c.opset(), c::visible);
    for (NodeProto n : nodes) NodeInputs.check(n, c.opset());
    OnnxImporter.importNodes(nodes, child);
    for (ValueInfoProto o : g.getOutputList()) b.output(child.toValue(child.lookup(o.getName())));
    return new Body(b.build(), child.captures());
  }

  /** A declared element type of a formal input must be the one the node gives it (a shape may be left out). */
  private static void declaredDType(ImportContext c, String attr, ValueInfoProto in, TensorType given) {
    if (!in.getType().hasTensorType() || in.getType().getTensorType().getElemType() == 0) return;
    DType declared;
    try {
      declared = DType.fromOnnx(in.getType().getTensorType().getElemType());
    } catch (KilnException e) {
      throw c.unsupported(attr + " input '" + in.getName() + "': " + e.getMessage());
    }
    if (declared != given.dtype()) {
      throw c.fail(attr + " input '" + in.getName() + "' is declared " + declared.shortName() + ", the node gives it " + given);
    }
  }

  /**
   * The body with its captured inputs replaced by {@code all} (a superset, in that order): If's branches must take
   * the same inputs. The first {@code formals} inputs stay as they are.
   */
  private static Graph withCaptures(Body body, int formals, List<Value> all) {
    Graph g = body.graph();
    boolean same = body.captures().size() == all.size();
    for (int i = 0; same && i < all.size(); i++) same = body.captures().get(i) == all.get(i);
    if (same) return g;
    GraphBuilder nb = new GraphBuilder(g.name());
    List<Value> args = new ArrayList<>();
    for (int i = 0; i < formals; i++) args.add(nb.input(g.inputs().get(i).name(), g.inputs().get(i).type()));
    List<Value> shared = new ArrayList<>();
    for (Value v : all) {
      String name = v.name();
      for (int k = 1; nb.isUsed(name); k++) name = v.name() + "_" + k;
      shared.add(nb.input(name, v.type()));
    }
    for (Value cap : body.captures()) {
      int at = 0;
      while (all.get(at) != cap) at++;
      args.add(shared.get(at));
    }
    for (Value o : Subgraphs.inline(nb, g, args)) nb.output(o);
    return nb.build();
  }
}
