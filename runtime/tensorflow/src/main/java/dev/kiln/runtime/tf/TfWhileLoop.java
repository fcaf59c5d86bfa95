package dev.kiln.runtime.tf;

import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Output;

/**
 * The TensorFlow lowering of an IR {@code Loop}: TF-Java's {@link Graph#whileLoop}, which builds TF's dataflow while
 * loop (the C API's {@code TF_NewWhile}: Enter, Merge, Switch, NextIteration, Exit) from a condition and a body built
 * in subgraphs. The body subgraph is the IR body lowered by {@link TfLowerer#lowerBody}.
 *
 * <p>Loop variables: the iteration number, the trip count, the condition, the carried values, one TensorList per
 * scan output (pushed back each iteration, stacked after the loop: the number of rows is known only at run time),
 * and the captured values, passed through unchanged (a while body cannot read the enclosing graph).
 *
 * <p>NOTE: functional {@code StatelessWhile} with function attributes would need the body as a TF function
 * ({@code ConcreteFunction}); the dataflow loop lowers the body with the same lowerer into the same graph, needs no
 * function library, and runs any trip count, known or not.
 */
final class TfWhileLoop {
  private TfWhileLoop() {}

  static List<Output<?>> lower(Graph tf, TfOpBuilder ops, Node node, List<Output<?>> in) {
    dev.kiln.spec.ir.Graph body = (dev.kiln.spec.ir.Graph) node.attrs().get("body");
    int captures = (int) node.attrs().getLong("captures");
    int carried = in.size() - 2 - captures;
    int scans = body.outputs().size() - 1 - carried;
    String name = node.output().name();
    List<TensorType> elems = new ArrayList<>();
    for (int k = 0; k < scans; k++) elems.add(body.outputs().get(1 + carried + k).type());
    List<Output<?>> vars = new ArrayList<>();
    vars.add(constant(ops, HostTensor.ofLongs(new long[] {0}), name + "/i0"));
    vars.add(scalar(ops, in.get(0), name + "/trips"));
    vars.add(scalar(ops, in.get(1), name + "/cond"));
    vars.addAll(in.subList(2, 2 + carried));
    for (int k = 0; k < scans; k++) {
      vars.add(ops.op("EmptyTensorList", name + "/scan" + k, List.of(elementShape(ops, elems.get(k), name),
              constant(ops, HostTensor.ofInts(new int[] {-1}), name + "/unbounded")),
          Map.of("element_dtype", elems.get(k).dtype()), null).get(0));
    }
    vars.addAll(in.subList(2 + carried, in.size()));
    Output<?>[] outs = tf.whileLoop(vars.toArray(new Output<?>[0]), (g, ins, o) -> {
      TfOpBuilder b = new TfOpBuilder(g, "cond/");
      Output<?> less = b.op("Less", "less", List.of(ins[0], ins[1]), Map.of(), null).get(0);
      o[0] = b.op("LogicalAnd", "and", List.of(less, ins[2]), Map.of(), null).get(0);
    }, (g, ins, o) -> {
      TfOpBuilder b = new TfOpBuilder(g, "step/");
      List<Output<?>> args = new ArrayList<>();
      args.add(ins[0]);
      args.add(ins[2]);
      for (int j = 0; j < carried; j++) args.add(ins[3 + j]);
      for (int c = 0; c < captures; c++) args.add(ins[3 + carried + scans + c]);
      List<Output<?>> r = TfLowerer.lowerBody(g, "body/", body, args);
      o[0] = b.op("AddV2", "next_i", List.of(ins[0], constant(b, HostTensor.ofLongs(new long[] {1}), "one")), Map.of(), null).get(0);
      o[1] = ins[1];
      o[2] = scalar(b, r.get(0), "next_cond");
      for (int j = 0; j < carried; j++) o[3 + j] = r.get(1 + j);
      for (int k = 0; k < scans; k++) {
        o[3 + carried + k] = b.op("TensorListPushBack", "push" + k, List.of(ins[3 + carried + k], r.get(1 + carried + k)),
            Map.of(), null).get(0);
      }
      for (int c = 0; c < captures; c++) o[3 + carried + scans + c] = ins[3 + carried + scans + c];
    }, sanitize(name) + "_while");
    List<Output<?>> result = new ArrayList<>();
    for (int j = 0; j < carried; j++) result.add(outs[3 + j]);
    for (int k = 0; k < scans; k++) {
      result.add(ops.op("TensorListStack", name + "/stack" + k, List.of(outs[3 + carried + k], elementShape(ops, elems.get(k), name)),
          Map.of("element_dtype", elems.get(k).dtype()), null).get(0));
    }
    return result;
  }

  /** A scan row's shape as TF's partial-shape operand: int32 sizes, -1 where the IR does not know the dim. */
  private static Output<?> elementShape(TfOpBuilder ops, TensorType t, String name) {
    int[] dims = new int[t.rank()];
    for (int i = 0; i < dims.length; i++) {
      Dim d = t.shape().dim(i);
      dims[i] = d.isStatic() ? Math.toIntExact(d.size()) : -1;
    }
    return constant(ops, HostTensor.ofInts(dims, dims.length), name + "/element_shape");
  }

  /** A one-element tensor as a scalar (ONNX allows [1] for the trip count and conditions; TF's loop wants []). */
  private static Output<?> scalar(TfOpBuilder ops, Output<?> x, String name) {
    if (x.shape().numDimensions() == 0) return x;
    return ops.op("Reshape", name, List.of(x, constant(ops, HostTensor.ofInts(new int[0], 0), name + "/shape")), Map.of(), null).get(0);
  }

  private static Output<?> constant(TfOpBuilder ops, HostTensor value, String name) {
    return ops.op("Const", name, List.of(), Map.of("value", value, "dtype", value.dtype()), null).get(0);
  }

  private static String sanitize(String s) { return s.replaceAll("[^A-Za-z0-9_.\\-/]", "_"); }
}
