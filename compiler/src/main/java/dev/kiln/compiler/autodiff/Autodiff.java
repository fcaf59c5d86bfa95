package dev.kiln.compiler.autodiff;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.SourceLocation;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Vjp;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode autodiff over the IR. From a forward graph and a scalar loss in it, builds a new graph
 * holding a copy of the forward nodes followed by the backward nodes, whose outputs are the loss and
 * one gradient per target, named {@code grad/<target name>} ({@code grad2/...} when that name is taken, as
 * in a gradient graph differentiated again), and, on request, the forward outputs.
 *
 * <p>The walk goes from the loss back over the nodes that lie on a path from some target to the loss,
 * calling each op's {@link Vjp}; gradients that fan in are summed with {@code Add}; broadcast gradients
 * are summed back to their input's shape here, once ({@link BroadcastSum}). Backward nodes carry the
 * forward node's source line, marked {@code (backward)}. The result is ordinary IR, so it can be
 * differentiated again. Composite ops without a VJP of their own are first expanded into their
 * decompositions ({@link dev.kiln.compiler.passes.ExpandComposites}); names of inputs, parameters and
 * composite outputs survive the expansion.
 */
public final class Autodiff {
  private Autodiff() {}

  /** Gradients of {@code loss} with respect to every trainable parameter of {@code forward}. */
  public static Graph gradients(Graph forward, Value loss) {
    List<Value> wrt = forward.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    return gradients(forward, loss, wrt, false);
  }

  /**
   * Gradients of {@code loss} with respect to {@code wrt} (parameters or graph inputs of {@code forward}).
   * Outputs: the loss, then {@code grad/<name>} for each target in order, then, when
   * {@code keepForwardOutputs}, the forward graph's outputs other than the loss. A target that the loss
   * does not depend on gets a zero gradient.
   */
  public static Graph gradients(Graph forward, Value loss, List<Value> wrt, boolean keepForwardOutputs) {
    checkArguments(forward, loss, wrt);
    // Composites without a VJP of their own are differentiated through their decomposition.
    java.util.function.Predicate<Node> noRule = n -> n.op().vjp() == null;
    if (dev.kiln.compiler.passes.ExpandComposites.any(forward, noRule)) {
      var ex = dev.kiln.compiler.passes.ExpandComposites.run(forward, noRule);
      return gradients(ex.graph(), ex.get(loss), wrt.stream().map(ex::get).toList(), keepForwardOutputs);
    }
    GraphCopy.Copied c = GraphCopy.of(forward, forward.name() + "_grad");
    GraphBuilder b = c.builder();
    Map<Value, Value> grads = backward(b, forward, c, loss, wrt);
    b.output(c.get(loss));
    for (Value t : wrt) {
      Value g = grads.get(t);
      if (g == null) g = zeros(b, c.get(t));
      b.output(gradientName(b, t), g);
    }
    if (keepForwardOutputs) {
      for (Value o : forward.outputs()) if (o != loss) b.output(c.get(o));
    }
    return b.build();
  }

  /**
   * {@code grad/<name>}, or, when differentiating a graph that already holds that name (a gradient
   * graph), {@code grad2/<name>}, {@code grad3/<name>}, ...: the order of the derivative.
   */
  private static String gradientName(GraphBuilder b, Value target) {
    String n = "grad/" + target.name();
    for (int k = 2; b.isUsed(n); k++) n = "grad" + k + "/" + target.name();
    return n;
  }

  private static void checkArguments(Graph forward, Value loss, List<Value> wrt) {
    Set<Value> known = Collections.newSetFromMap(new IdentityHashMap<>());
    known.addAll(forward.inputs());
    forward.parameters().forEach(p -> known.add(p.value()));
    Set<Value> all = Collections.newSetFromMap(new IdentityHashMap<>());
    all.addAll(known);
    forward.nodes().forEach(n -> all.addAll(n.outputs()));
    if (!all.contains(loss)) throw new KilnException("autodiff: loss '" + loss.name() + "' is not a value of graph " + forward.name());
    TensorType lt = loss.type();
    if (!lt.dtype().isFloating() || !lt.shape().isStatic() || lt.shape().elementCount() != 1) {
      throw new KilnException("autodiff: loss '" + loss.name() + "' must be a floating-point scalar (one element), got " + lt);
    }
    if (wrt.isEmpty()) throw new KilnException("autodiff: nothing to differentiate with respect to (no trainable parameters?)");
    for (Value t : wrt) {
      if (!known.contains(t)) {
        throw new KilnException("autodiff: target '" + t.name() + "' is not a parameter or input of graph " + forward.name());
      }
      if (!t.type().dtype().isFloating()) {
        throw new KilnException("autodiff: target '" + t.name() + "' is " + t.type() + "; only floating-point values have gradients");
      }
    }
  }

  /** Builds the backward nodes; returns each target's (copied) gradient, keyed by the original target. */
  private static Map<Value, Value> backward(GraphBuilder b, Graph forward, GraphCopy.Copied c, Value loss, List<Value> wrt) {
    Path path = Path.between(forward, wrt, loss);
    path.requireRules();
    Map<Value, Value> grad = new IdentityHashMap<>();
    grad.put(loss, seed(b, forward, loss, c.get(loss)));
    List<Node> nodes = forward.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      if (!path.contains(n)) continue;
      List<Value> gys = new ArrayList<>();
      boolean any = false;
      for (Value o : n.outputs()) {
        Value g = grad.get(o);
        any |= g != null;
        gys.add(g);
      }
      if (!any) continue;
      Node copy = c.node(n);
      Vjp rule = n.op().vjp();
      if (!rule.takesMissing()) {
        for (int k = 0; k < gys.size(); k++) if (gys.get(k) == null) gys.set(k, zeros(b, copy.outputs().get(k)));
      }
      List<Value> gxs = b.at(backwardScope(n), n.location().asBackward(), () -> rule.apply(b, copy, gys));
      if (gxs.size() != n.inputs().size()) {
        throw new KilnException("autodiff: the VJP of " + n.opName() + " returned " + gxs.size() + " gradients for "
            + n.inputs().size() + " inputs (node '" + n.output().name() + "' at " + n.location() + ")");
      }
      for (int k = 0; k < gxs.size(); k++) {
        Value x = n.inputs().get(k);
        Value gx = gxs.get(k);
        if (x == null || gx == null || !path.dependsOnTarget(x)) continue;
        Value reduced = b.at(backwardScope(n), n.location().asBackward(), () -> BroadcastSum.to(b, gx, c.get(x).type()));
        Value prev = grad.get(x);
        grad.put(x, prev == null ? reduced
            : b.at(backwardScope(n), n.location().asBackward(), () -> Ops.add(b, prev, reduced)));
      }
    }
    Map<Value, Value> out = new IdentityHashMap<>();
    for (Value t : wrt) if (grad.containsKey(t)) out.put(t, grad.get(t));
    return out;
  }

  private static List<String> backwardScope(Node n) {
    List<String> s = new ArrayList<>(n.scope());
    s.add("grad");
    return s;
  }

  /** gy = ones like the loss, located at the line that made the loss. */
  private static Value seed(GraphBuilder b, Graph forward, Value loss, Value copy) {
    TensorType t = copy.type();
    SourceLocation at = forward.nodes().stream().filter(n -> n.outputs().contains(loss)).map(Node::location)
        .findFirst().orElse(SourceLocation.UNKNOWN).asBackward();
    return b.at(List.of("grad"), at, () ->
        b.applyNamed(dev.kiln.spec.op.OpRegistry.get(dev.kiln.spec.ops.Constant.class), List.of(),
            Attrs.of("value", HostTensor.filled(t.dtype(), t.shape().sizes(), 1)), "seed").get(0));
  }

  /** A zero gradient shaped like {@code like} (a value of the new graph) that no gradient reaches. */
  private static Value zeros(GraphBuilder b, Value like) {
    Shape s = like.type().shape();
    return b.at(List.of("grad"), SourceLocation.UNKNOWN.asBackward(), () -> {
      if (s.isStatic()) return Ops.constant(b, HostTensor.filled(like.type().dtype(), s.sizes(), 0));
      Value zero = Ops.constant(b, HostTensor.scalar(like.type().dtype(), 0));
      return Ops.broadcastLike(b, zero, like);
    });
  }
}
