package dev.kiln.spec.op;

import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Value;
import java.util.List;

/**
 * How a composite op rebuilds one of its nodes from other ops (primitives, or smaller composites that
 * are expanded in turn). The expander calls it with {@code b} positioned at the node's scope and source
 * line; {@code inputs} are the node's inputs as values of {@code b} (the node itself belongs to the
 * graph being expanded). It returns one value per output of the node, with the same types.
 *
 * <p>Autodiff differentiates a composite through its decomposition (unless the op also declares its own
 * {@link Vjp}); a back end without a native form for the op runs the decomposition; a back end with one
 * (ONNX {@code LSTM}) uses the native form.
 */
@FunctionalInterface
public interface Decomposition {
  List<Value> expand(GraphBuilder b, Node node, List<Value> inputs);
}
