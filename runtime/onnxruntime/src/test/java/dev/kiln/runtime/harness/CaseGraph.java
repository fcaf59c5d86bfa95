package dev.kiln.runtime.harness;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A harness case as a runnable graph: inputs {@code in0, in1, ...} fed with the case's tensors, the op
 * built by the case, outputs {@code out0, out1, ...}. Shared by every back end's harness test so each
 * runs exactly the same graphs.
 */
public record CaseGraph(Graph graph, Map<String, HostTensor> feed) {
  /** Builds the graph of one case. */
  public static CaseGraph of(String label, List<HostTensor> inputs, OpCases.Build build) {
    GraphBuilder g = new GraphBuilder(label.replaceAll("[^A-Za-z0-9_]", "_"));
    List<Value> in = new ArrayList<>();
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      in.add(g.input("in" + i, inputs.get(i).type()));
      feed.put("in" + i, inputs.get(i));
    }
    List<Value> outs = build.apply(g, in);
    for (int i = 0; i < outs.size(); i++) g.output("out" + i, outs.get(i));
    return new CaseGraph(g.build(), feed);
  }

  /** The graph of an ONNX backend data case: its fed inputs (all, or those listed in {@code feed}). */
  public static CaseGraph of(OpCases.OnnxDataCase dc, OnnxTestData data) {
    List<HostTensor> fed = new ArrayList<>();
    if (dc.feed() == null) fed.addAll(data.inputs());
    else for (int i : dc.feed()) fed.add(data.inputs().get(i));
    return of(dc.testName(), fed, (g, in) -> dc.build().apply(g, in, data.inputs()));
  }

  /** The harness entries of every registered op that has one. */
  public static Stream<OpCases> allCases() {
    return dev.kiln.spec.op.OpRegistry.all().stream().map(OpCases::forOp).filter(Objects::nonNull);
  }
}
