package dev.kiln.runtime.train;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.compiler.autodiff.GraphCopy;
import dev.kiln.spec.DType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link TrainStep} cut in two at the optimizer's gradient inputs, for data-parallel training: each replica
 * runs the {@link #gradients()} graph on its shard, the replicas sum what it gives, and every replica runs the
 * same {@link #apply()} step on the sums, so their parameters stay identical.
 *
 * <ul>
 *   <li>{@link #gradients()}: forward → loss → gradients, no assignments. Besides the model's inputs and the labels it
 *       takes {@value #WEIGHT}, the replica's share of the global batch, and differentiates the loss times it: the
 *       gradients come out already weighted, so a replica copies them into the all-reduce buffer as they are.
 *       Outputs: the weighted loss ({@value #WEIGHTED_LOSS}), {@code grad/<param>} per trainable parameter (in
 *       {@link #trainable()} order), then the forward graph's outputs, among them each state update
 *       ({@code state_update/<param>}, e.g. batch norm's running mean; not weighted).</li>
 *   <li>{@link #apply()}: inputs {@code grad/<param>} (the summed gradients), {@value #NEW_STATE}{@code <param>}
 *       (the state's agreed next value), {@link TrainStep#LR} and {@link TrainStep#STEP}; the optimizer update
 *       (with {@link GradientClipping}) assigns each parameter and slot, and each state takes its input. Its first
 *       output is the learning rate (a {@link TrainSession} step returns its first output).</li>
 * </ul>
 * Both read the same parameters, so one {@link Backend#open(TrainStep, Graph)} of {@code apply} with
 * {@code gradients} as its evaluation graph runs both over one set of variables: {@code evaluate} computes the
 * gradients, {@code step} applies them.
 */
public final class SplitStep {
  /** Prefix of the apply step's inputs for states' next values. */
  public static final String NEW_STATE = "new_state/";
  /** Input of the gradients graph: the replica's share of the global batch (a scalar), which weights the loss. */
  public static final String WEIGHT = "replica.weight";
  /** First output of the gradients graph: the loss times {@value #WEIGHT}. */
  public static final String WEIGHTED_LOSS = "replica.weighted_loss";
  /** Prefix of gradient outputs and inputs (as {@link Autodiff} names them). */
  public static final String GRAD = "grad/";

  private final Graph gradients;
  private final TrainStep apply;
  private final List<String> trainable;
  private final List<String> states;

  private SplitStep(Graph gradients, TrainStep apply, List<String> trainable, List<String> states) {
    this.gradients = gradients;
    this.apply = apply;
    this.trainable = List.copyOf(trainable);
    this.states = List.copyOf(states);
  }

  /** The gradients graph (see the class comment). */
  public Graph gradients() { return gradients; }

  /** The apply-update step (see the class comment). */
  public TrainStep apply() { return apply; }

  /** Trainable parameter names, in the order of the gradient outputs. */
  public List<String> trainable() { return trainable; }

  /** Names of the state parameters the forward pass updates (batch-norm statistics), in output order. */
  public List<String> states() { return states; }

  /** Output name of {@code param}'s gradient in {@link #gradients()} and its input name in {@link #apply()}. */
  public static String grad(String param) { return GRAD + param; }

  /** Output name of {@code state}'s next value in {@link #gradients()}. */
  public static String stateUpdate(String state) { return TrainingForm.UPDATE_PREFIX + state; }

  /** Splits the train step of {@code lossGraph} (from {@link TrainStep#lossGraph}) with {@code optimizer}. */
  public static SplitStep compile(Graph lossGraph, Optimizer optimizer, GradientClipping clipping) {
    List<Parameter> trainable = lossGraph.parameters().stream().filter(Parameter::trainable).toList();
    Graph weighted = weighted(lossGraph);
    List<Value> wrt = weighted.parameters().stream().filter(Parameter::trainable).map(Parameter::value).toList();
    Graph grads = Autodiff.gradients(weighted, weighted.outputs().get(0), wrt, true);
    for (int i = 0; i < trainable.size(); i++) {
      String want = grad(trainable.get(i).name());
      if (!grads.outputs().get(1 + i).name().equals(want)) {
        throw new KilnException("gradient output " + (1 + i) + " of " + lossGraph.name() + " is '"
            + grads.outputs().get(1 + i).name() + "', expected '" + want + "' (a model value already uses that name)");
      }
    }
    List<String> states = new ArrayList<>(TrainingForm.updates(grads).keySet());

    GraphBuilder b = new GraphBuilder(lossGraph.name().replaceFirst("_loss$", "") + "_apply");
    Map<String, Value> params = new LinkedHashMap<>();
    for (Parameter p : lossGraph.parameters()) {
      params.put(p.name(), b.at(List.of(), null, () -> b.parameter(p.name(), p.initial(), p.trainable(), p.initializer())));
    }
    TensorType scalar = new TensorType(DType.F32, Shape.scalar());
    List<Value> gs = new ArrayList<>();
    for (Parameter p : trainable) gs.add(b.input(grad(p.name()), p.value().type()));
    Value lr = b.input(TrainStep.LR, scalar);
    Value step = TrainingForm.step(b);
    if (clipping != null) gs = clipping.apply(b, gs);
    Map<Value, String> assign = new LinkedHashMap<>();
    List<String> slotNames = new ArrayList<>();
    List<FusedUpdate> fused = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) {
      Parameter p = trainable.get(i);
      Value param = params.get(p.name());
      List<Value> slots = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Optimizer.Slot s : optimizer.slots(p)) {
        String name = p.name() + "/" + s.name();
        slots.add(b.at(List.of(), null, () -> b.parameter(name, s.initial(), false, "zeros")));
        names.add(name);
      }
      Optimizer.Update u = optimizer.update(b, param, gs.get(i), slots, lr, step);
      if (u.slots().size() != slots.size()) {
        throw new KilnException("optimizer " + optimizer.describe() + " returned " + u.slots().size() + " slot updates for "
            + p.name() + ", it declared " + slots.size());
      }
      assign.put(u.parameter(), p.name());
      for (int k = 0; k < slots.size(); k++) assign.put(u.slots().get(k), names.get(k));
      slotNames.addAll(names);
      // NOTE: the fused kernel must update exactly this parameter and its slots, as TrainStep checks.
      if (u.fused() != null && u.fused().variables().size() == 1 + slots.size() && u.fused().variables().get(0) == param) {
        fused.add(u.fused());
      }
    }
    for (String s : states) {
      Parameter p = lossGraph.parameter(s).orElseThrow(() -> new KilnException("state update of '" + s
          + "', which is not a parameter of " + lossGraph.name()));
      if (p.trainable()) throw new KilnException("state update of trainable parameter " + s + "; state must be non-trainable");
      assign.put(b.input(NEW_STATE + s, p.value().type()), s);
    }
    b.output("apply.lr", lr);
    for (Value v : assign.keySet()) b.output(v);
    return new SplitStep(grads, TrainStep.of(b.build(), assign, slotNames, fused),
        trainable.stream().map(Parameter::name).toList(), states);
  }

  /**
   * {@code lossGraph} with the input {@value #WEIGHT} and, as its first output, the loss times it (then the forward
   * outputs). NOTE: a weight of 1 (one replica) or 1/2 (two even shards) scales every gradient exactly, so the summed
   * gradients equal the single-process ones up to the rounding of the shards' means.
   */
  private static Graph weighted(Graph lossGraph) {
    GraphCopy.Copied c = GraphCopy.of(lossGraph, lossGraph.name());
    GraphBuilder b = c.builder();
    if (b.isUsed(WEIGHT) || b.isUsed(WEIGHTED_LOSS)) {
      throw new KilnException("the model uses the name '" + WEIGHT + "' or '" + WEIGHTED_LOSS + "', which data-parallel training needs");
    }
    Value loss = c.get(lossGraph.outputs().get(0));
    Value w = b.input(WEIGHT, new TensorType(DType.F32, Shape.scalar()));
    if (loss.type().dtype() != DType.F32) w = Ops.cast(b, w, loss.type().dtype());
    b.output(WEIGHTED_LOSS, Ops.mul(b, loss, w));
    for (Value o : lossGraph.outputs().subList(1, lossGraph.outputs().size())) b.output(c.get(o));
    return b.build();
  }
}
