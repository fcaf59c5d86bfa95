package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.BOOL;
import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.List;
import java.util.function.BiFunction;

class IfCases extends OpCases {
  /** A branch taking {@code inputs} and giving what {@code body} returns. */
  static Graph branch(String name, List<TensorType> inputs, BiFunction<GraphBuilder, List<Value>, List<Value>> body) {
    GraphBuilder g = new GraphBuilder(name);
    List<Value> in = new java.util.ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) in.add(g.input(name + ".in" + i, inputs.get(i)));
    for (Value v : body.apply(g, in)) g.output(v);
    return g.build();
  }

  static Graph constantBranch(String name, float... values) {
    return branch(name, List.of(), (g, in) -> List.of(Ops.constant(g, HostTensor.ofFloats(values, values.length))));
  }

  @Override protected void define() {
    TensorType x = t(F32, 2, 3);
    Graph plus = branch("then", List.of(x), (g, in) -> List.of(Ops.add(g, in.get(0), in.get(0))));
    Graph neg = branch("else", List.of(x), (g, in) -> List.of(Ops.neg(g, in.get(0))));
    Attrs captured = Attrs.of("then_branch", plus, "else_branch", neg);
    valid("captured input", List.of(t(BOOL), x), captured, x);
    Graph wide = branch("else", List.of(x), (g, in) -> List.of(Ops.concat(g, List.of(in.get(0), in.get(0)), 1)));
    valid("branches disagree on a dim", List.of(t(BOOL), x), Attrs.of("then_branch", plus, "else_branch", wide), t(F32, 2, dev.kiln.spec.Dim.unknown()));
    invalid("cond not bool", List.of(t(F32), x), captured, "input cond must be a bool scalar");
    invalid("capture of another type", List.of(t(BOOL), t(F32, 3)), captured, "then_branch input 0 ('then.in0') is f32[2, 3], the node gives it f32[3]");
    Graph ints = branch("else", List.of(x), (g, in) -> List.of(Ops.cast(g, in.get(0), I64)));
    invalid("branches disagree on dtype", List.of(t(BOOL), x), Attrs.of("then_branch", plus, "else_branch", ints),
        "output 0: then_branch gives f32[2, 3], else_branch i64[2, 3]");
    Attrs constants = Attrs.of("then_branch", constantBranch("then_body", 1, 2, 3, 4, 5),
        "else_branch", constantBranch("else_body", 5, 4, 3, 2, 1));
    onnxData("test_if", op(constants));
    HostTensor data = HostTensor.ofFloats(new float[] {1, -2, 3, 0, 5, -6}, 2, 3);
    numeric("then: x + x", List.of(HostTensor.ofBooleans(new boolean[] {true}), data), op(captured),
        List.of(HostTensor.ofFloats(new float[] {2, -4, 6, 0, 10, -12}, 2, 3)));
    numeric("else: -x", List.of(HostTensor.ofBooleans(new boolean[] {false}), data), op(captured),
        List.of(HostTensor.ofFloats(new float[] {-1, 2, -3, 0, -5, 6}, 2, 3)));
  }
}
