package dev.kiln.compiler.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.compiler.passes.ExpandComposites;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.OnnxForm;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an IR subgraph (If's branch, a Loop's or Scan's body) as an ONNX {@code GraphProto} attribute.
 *
 * <p>An IR body is closed: the enclosing values it reads are trailing inputs (captures). ONNX reads them from the
 * enclosing scope by name instead, so a captured input is not declared; it is written under the outer name the node
 * gives it. Every other value gets the name {@code <node output>/<attribute>/<IR name>}: ONNX names share one scope
 * with the enclosing graph, and two bodies (or a body and its graph) may use the same IR names.
 */
final class SubgraphWriter {
  private SubgraphWriter() {}

  static GraphProto write(int opset, Set<String> names, String prefix, Graph original, List<String> outerNames) {
    // Composites without an ONNX form at this opset are written as their decomposition, as at top level.
    java.util.function.Predicate<Node> expand = n -> !n.op().onnx().isSupported() || n.op().onnx().formFor(opset).isEmpty();
    Graph body = ExpandComposites.any(original, expand) ? ExpandComposites.run(original, expand).graph() : original;
    OnnxExporter.checkLowerable(body, opset);
    Map<Value, String> rename = new IdentityHashMap<>();
    GraphProto.Builder gb = GraphProto.newBuilder().setName(prefix);
    for (int i = 0; i < body.inputs().size(); i++) {
      Value in = body.inputs().get(i);
      String outer = outerNames.get(i);
      if (outer != null) {
        rename.put(in, outer);
      } else {
        String n = unique(names, prefix + "/" + in.name());
        rename.put(in, n);
        gb.addInput(OnnxExporter.valueInfo(n, in.type()));
      }
    }
    for (Node n : body.nodes()) for (Value v : n.outputs()) rename.put(v, unique(names, prefix + "/" + v.name()));
    NodeEmitter emitter = new NodeEmitter(opset, gb, names, rename::get);
    for (Node n : body.nodes()) {
      OnnxForm form = n.op().onnx().formFor(opset).orElseThrow();
      emitter.emitNode(n, form);
    }
    Set<Value> produced = new HashSet<>();
    for (Node n : body.nodes()) produced.addAll(n.outputs());
    Set<Value> written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Value v : body.outputs()) {
      String name = rename.get(v);
      // NOTE: an output that is an input of the body (a Loop passing its condition through) or repeats an earlier
      // output gets a name of its own through an Identity, so each output of the ONNX body is a distinct value.
      if (!produced.contains(v) || !written.add(v)) {
        String copy = unique(names, prefix + "/" + v.name() + ".out");
        gb.addNode(NodeProto.newBuilder().setOpType("Identity").setName(copy).addInput(name).addOutput(copy));
        name = copy;
      }
      gb.addOutput(OnnxExporter.valueInfo(name, v.type()));
    }
    return gb.build();
  }

  private static String unique(Set<String> names, String base) {
    String n = base;
    for (int i = 1; names.contains(n); i++) n = base + "_" + i;
    names.add(n);
    return n;
  }
}
