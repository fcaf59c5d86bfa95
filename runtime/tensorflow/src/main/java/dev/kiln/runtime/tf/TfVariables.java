package dev.kiln.runtime.tf;

import dev.kiln.runtime.train.FusedUpdate;
import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * The TF lowering's state: each parameter of the IR graph as a resource variable ({@code VarHandleOp} with
 * {@code shared_name} = the parameter's name, so two lowerings in one graph share it; one {@code ReadVariableOp};
 * an {@code AssignVariableOp} from a {@code Placeholder} fed the initial value once, by {@link TfInitializer}), and
 * the writes of a train step: an {@code AssignVariableOp} per assigned value, or a fused kernel
 * ({@link TfFusedUpdates}) per fused update.
 * NOTE: initial values are fed, not {@code Const}s: a constant puts the weights into the GraphDef, which TensorFlow
 * copies on import and again in every grappler pass (a 515 MB VGG-11 took minutes and several times its size in
 * memory); a feed is one heap-to-native copy, and the graph stays small whatever the model's size.
 */
final class TfVariables {
  /** Variable handles by parameter name. */
  final Map<String, Output<?>> handles = new LinkedHashMap<>();
  /** Each variable's read by parameter name. */
  final Map<String, Output<?>> reads = new LinkedHashMap<>();
  /** The initialising assignments (run once, before the first step). */
  final List<GraphOperation> inits = new ArrayList<>();
  /** What each initialising assignment must be fed: its placeholder and the parameter's initial value. */
  final List<TfInitializer.Feed> initFeeds = new ArrayList<>();

  private final TfOpBuilder ops;
  private final Graph ir;

  /** Declares a variable per parameter of {@code ir}. */
  TfVariables(TfOpBuilder ops, Graph ir) {
    this.ops = ops;
    this.ir = ir;
    for (Parameter p : ir.parameters()) {
      DType d = p.value().type().dtype();
      Output<?> handle = ops.op("VarHandleOp", p.name(), List.of(),
          Map.of("dtype", d, "shape", TfLowerer.tfShape(p.value().type()), "shared_name", p.name()), null).get(0);
      Output<?> fed = ops.op("Placeholder", p.name() + "/initial", List.of(), Map.of("dtype", TfTypes.boundaryType(d),
          "shape", TfLowerer.tfShape(p.value().type())), null).get(0);
      Output<?> init = TfTypes.needsBitcast(d)
          ? ops.op("Bitcast", p.name() + "/initial/bitcast", List.of(fed), Map.of("type", TfTypes.dataType(d)), null).get(0)
          : fed;
      GraphOperation assign = ops.operation("AssignVariableOp", p.name() + "/assign", List.of(handle, init), Map.of("dtype", d), null);
      inits.add(assign);
      initFeeds.add(new TfInitializer.Feed(assign, fed, p.initial()));
      handles.put(p.name(), handle);
      reads.put(p.name(), ops.op("ReadVariableOp", p.name() + "/read", List.of(handle), Map.of("dtype", d), null).get(0));
    }
  }

  /**
   * The step's writes: each of {@code fused} as its TF kernel, and every other entry of {@code assignments} (IR
   * value → parameter name) as an {@code AssignVariableOp}. NOTE: every write carries control dependencies on
   * every variable read of the graph, so within one {@code Session.run} all reads see the old values (TF copies a
   * variable's buffer on write while a read still holds it).
   *
   * @param handle each IR value's TF output (canonical layout)
   */
  List<GraphOperation> writes(Map<Value, String> assignments, List<FusedUpdate> fused, Function<Value, Output<?>> handle) {
    List<GraphOperation> readOps = reads.values().stream().map(o -> (GraphOperation) o.op()).toList();
    List<GraphOperation> out = new ArrayList<>();
    TfFusedUpdates kernels = new TfFusedUpdates(ops, ir, handle);
    Set<String> fusedVars = kernels.variables(fused, assignments.values());
    for (FusedUpdate u : fused) out.add(kernels.emit(u, handles, readOps));
    for (Map.Entry<Value, String> a : assignments.entrySet()) {
      if (fusedVars.contains(a.getValue())) continue;
      Output<?> var = handles.get(a.getValue());
      if (var == null) throw new KilnException("assignment to '" + a.getValue() + "': graph " + ir.name() + " has no such parameter");
      Parameter p = ir.parameter(a.getValue()).orElseThrow();
      if (!a.getKey().type().equals(p.value().type())) {
        throw new KilnException("assignment of " + a.getKey() + " to parameter " + p.value() + ": types differ");
      }
      out.add(ops.operation("AssignVariableOp", a.getValue() + "/update", List.of(var, handle.apply(a.getKey())),
          Map.of("dtype", p.value().type().dtype()), null, readOps));
    }
    return out;
  }
}
