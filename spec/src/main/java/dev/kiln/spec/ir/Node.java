package dev.kiln.spec.ir;

import dev.kiln.spec.op.Op;
import java.util.List;

/**
 * One op application: inputs, attributes (complete, defaults filled), outputs, the name scope it
 * was built in and the user's source line.
 */
public record Node(Op op, List<Value> inputs, Attrs attrs, List<Value> outputs, List<String> scope,
                   SourceLocation location) {
  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    scope = List.copyOf(scope);
  }

  public Value input(int i) { return inputs.get(i); }

  public Value output() { return outputs.get(0); }

  public String opName() { return op.name(); }
}
