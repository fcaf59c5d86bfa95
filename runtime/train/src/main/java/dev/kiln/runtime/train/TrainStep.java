package dev.kiln.runtime.train;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.autodiff.GraphCopy;
import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The train step as one IR graph: forward → loss (+ {@link Regularization} penalty) → gradients
 * ({@link Autodiff}) → optional {@link GradientClipping} → {@link Optimizer#update} per trainable parameter.
 * Its outputs are the loss (first), then the forward graph's outputs (so the host can update metrics
 * from the same step), then each parameter's and slot's new value; {@link #assignments()} says which variable
 * each new value is stored into. Slots are non-trainable parameters named {@code <param>/<slot>}.
 * Extra inputs: the labels, {@value #LR} and {@value #STEP} (f32 scalars fed by the host; a forward graph
 * with dropout already reads {@value #STEP}). The forward graph's state updates ({@link TrainingForm}, e.g.
 * batch norm's running statistics) become assignments too, computed from the same forward pass.
 */
public final class TrainStep {
  /** Name of the learning-rate input. */
  public static final String LR = "train.lr";
  /** Name of the 1-based step input. */
  public static final String STEP = TrainingForm.STEP;
  /** Name of the loss output. */
  public static final String LOSS = "train.loss";

  private final Graph graph;
  private final Map<Value, String> assignments;
  private final List<String> slotNames;
  private final List<FusedUpdate> fusedUpdates;

  private TrainStep(Graph graph, Map<Value, String> assignments, List<String> slotNames, List<FusedUpdate> fused) {
    this.graph = graph;
    this.assignments = assignments;
    this.slotNames = slotNames;
    this.fusedUpdates = List.copyOf(fused);
  }

  /** A step of a graph built elsewhere (the apply half of a {@link SplitStep}). */
  static TrainStep of(Graph graph, Map<Value, String> assignments, List<String> slotNames, List<FusedUpdate> fused) {
    return new TrainStep(graph, assignments, slotNames, fused);
  }

  /** The train-step graph. */
  public Graph graph() { return graph; }

  /** New value (an output of {@link #graph()}) → name of the parameter or slot it replaces. */
  public Map<Value, String> assignments() { return assignments; }

  /** Names of the optimizer's slot parameters. */
  public List<String> slotNames() { return slotNames; }

  /**
   * The parameter updates the optimizer also describes as {@link FusedUpdate}s ({@link Optimizer.Update#fused()}),
   * each updating one parameter and all its slots; a back end with fused kernels may run them instead of those
   * assignments.
   */
  public List<FusedUpdate> fusedUpdates() { return fusedUpdates; }

  /**
   * The graph computing the loss from a forward graph: a copy of {@code forward} plus a label input of
   * {@code labelType} and the loss (output {@value #LOSS}, first), then {@code forward}'s outputs.
   */
  public static Graph lossGraph(Graph forward, Loss loss, String outputName, String labelInput, TensorType labelType,
                                Regularization penalty) {
    Value out = forward.outputs().stream().filter(v -> v.name().equals(outputName)).findFirst()
        .orElseThrow(() -> new KilnException("the model has no output '" + outputName + "'; its outputs are "
            + forward.outputs().stream().map(Value::toString).toList()));
    GraphCopy.Copied c = GraphCopy.of(forward, forward.name() + "_loss");
    GraphBuilder b = c.builder();
    if (b.isUsed(labelInput)) throw new KilnException("label input name '" + labelInput + "' is already used by the model");
    Value labels = b.input(labelInput, labelType);
    Value l = loss.build(b, c.get(out), labels);
    if (l.type().shape().rank() != 0 && !(l.type().shape().isStatic() && l.type().shape().elementCount() == 1)) {
      // A per-example loss ("none" reduction) is averaged, as Keras does for training.
      l = Ops.reduceMean(b, l, new long[0], false);
    }
    if (penalty != null) {
      List<Value> ps = forward.parameters().stream().filter(Parameter::trainable).map(p -> c.get(p.value())).toList();
      l = Ops.add(b, l, penalty.penalty(b, ps));
    }
    b.output(LOSS, l);
    for (Value o : forward.outputs()) b.output(c.get(o));
    return b.build();
  }

  /** Compiles the train step of {@code lossGraph} (from {@link #lossGraph}) with {@code optimizer}. */
  public static TrainStep compile(Graph lossGraph, Optimizer optimizer, GradientClipping clipping) {
    Value loss = lossGraph.outputs().get(0);
    List<Value> wrt = lossGraph.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    Graph grads = Autodiff.gradients(lossGraph, loss, wrt, true);
    GraphCopy.Copied c = GraphCopy.of(grads, lossGraph.name().replaceFirst("_loss$", "") + "_train");
    GraphBuilder b = c.builder();
    TensorType scalar = new TensorType(DType.F32, Shape.scalar());
    Value lr = b.input(LR, scalar);
    Value step = TrainingForm.step(b);
    List<Parameter> trainable = grads.parameters().stream().filter(Parameter::trainable).toList();
    List<Value> params = new ArrayList<>();
    List<Value> gs = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      params.add(c.get(trainable.get(i).value()));
      gs.add(c.get(grads.outputs().get(1 + i)));
    }
    if (clipping != null) gs = clipping.apply(b, gs);
    Map<Value, String> assign = new LinkedHashMap<>();
    Map<Value, Value> outputs = new IdentityHashMap<>();
    List<String> slotNames = new ArrayList<>();
    List<Value> newValues = new ArrayList<>();
    List<FusedUpdate> fused = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Parameter p = trainable.get(i);
      List<Value> slots = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Optimizer.Slot s : optimizer.slots(p)) {
        String name = p.name() + "/" + s.name();
        slots.add(b.at(List.of(), null, () -> b.parameter(name, s.initial(), false, "zeros")));
        names.add(name);
      }
      Optimizer.Update u = optimizer.update(b, params.get(i), gs.get(i), slots, lr, step);
      if (u.slots().size() != slots.size()) {
        throw new KilnException("optimizer " + optimizer.describe() + " returned " + u.slots().size() + " slot updates for "
            + p.name() + ", it declared " + slots.size());
      }
      newValues.add(u.parameter());
      assign.put(u.parameter(), p.name());
      for (int k = 0; k < slots.size(); k++) {
        assign.put(u.slots().get(k), names.get(k));
        newValues.add(u.slots().get(k));
      }
      slotNames.addAll(names);
      if (u.fused() != null) {
        List<Value> own = new ArrayList<>(List.of(params.get(i)));
        own.addAll(slots);
        if (!sameValues(u.fused().variables(), own)) {
          throw new KilnException("optimizer " + optimizer.describe() + ": the fused " + u.fused().kind() + " update of "
              + p.name() + " must update exactly the parameter and its slots " + names);
        }
        fused.add(u.fused());
      }
    }
    for (Map.Entry<String, Value> u : TrainingForm.updates(grads).entrySet()) {
      Parameter p = grads.parameter(u.getKey()).orElseThrow(() -> new KilnException("state update of '" + u.getKey()
          + "', which is not a parameter of " + lossGraph.name()));
      if (p.trainable()) throw new KilnException("state update of trainable parameter " + p.name() + "; state must be non-trainable");
      Value v = c.get(u.getValue());
      assign.put(v, p.name());
      newValues.add(v);
    }
    b.output(c.get(grads.outputs().get(0)));
    // The forward outputs follow the gradients in the Autodiff graph.
    for (Value o : grads.outputs().subList(1 + trainable.size(), grads.outputs().size())) b.output(c.get(o));
    for (Value v : newValues) b.output(v);
    return new TrainStep(b.build(), assign, slotNames, fused);
  }

  private static boolean sameValues(List<Value> a, List<Value> b) {
    if (a.size() != b.size()) return false;
    for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
    return true;
  }

  /** The label type for labels shaped {@code perExample} (without the batch axis), batch symbolic. */
  public static TensorType labelType(DType dtype, long[] perExample) {
    Dim[] dims = new Dim[perExample.length + 1];
    dims[0] = Dim.symbolic("batch");
    for (int i = 0; i < perExample.length; i++) dims[i + 1] = Dim.of(perExample[i]);
    return new TensorType(dtype, Shape.of(dims));
  }
}
