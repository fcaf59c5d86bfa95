package dev.kiln.runtime.train;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
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
 * A {@link TrainStep} as a pure function of its state, the form a back end without variables runs and
 * {@link TrainingExport} writes to ONNX: every piece of state (parameter, optimizer slot, batch-norm
 * statistic, and in the self-contained form the step counter) is a parameter read by the step, and its value
 * after the step is an output named {@code <state>}{@value #NEXT}. The loss output is {@value #LOSS}; the
 * model's own outputs follow it (for metrics).
 *
 * <p>Two forms. {@link #hostFed}: the learning rate and 1-based step stay inputs ({@link TrainStep#LR},
 * {@link TrainStep#STEP}), as the {@link Trainer} feeds them; this is what a {@link Backend} runs, so its state
 * is exactly the TensorFlow back end's variables and checkpoints move between them. {@link #selfContained}: a
 * step counter {@value #STEP_COUNT} (i64, steps done, initially 0) is state too, and the rate is computed in the
 * graph from it by a {@link GraphSchedule}, so the file alone is trainable by any ONNX runtime.
 *
 * <p>Kept as one graph with the gradients in the middle so that a later split into a "gradients" graph and an
 * "apply update" graph (data-parallel training) can cut it at the optimizer's gradient inputs.
 */
public final class TrainingGraph {
  /** The step counter of the self-contained form: steps done so far, i64. */
  public static final String STEP_COUNT = "train.step_count";
  /** Suffix of the output holding a state's next value. */
  public static final String NEXT = ".next";
  /** Name of the loss output. */
  public static final String LOSS = "loss";

  private final Graph graph;
  private final Map<String, String> state;
  private final List<String> dataInputs;

  private TrainingGraph(Graph graph, Map<String, String> state, List<String> dataInputs) {
    this.graph = graph;
    this.state = Map.copyOf(state);
    this.dataInputs = List.copyOf(dataInputs);
  }

  /** The graph: inputs are the data (and in the host-fed form the rate and step), state are parameters. */
  public Graph graph() { return graph; }

  /** State name → name of the output holding its next value, in parameter order. */
  public Map<String, String> state() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Parameter p : graph.parameters()) if (state.containsKey(p.name())) out.put(p.name(), state.get(p.name()));
    return out;
  }

  /** The data inputs (the model's inputs and the labels), in order. */
  public List<String> dataInputs() { return dataInputs; }

  /**
   * The same step starting from other state values (e.g. a trainer's current parameters and slots, and for the
   * self-contained form {@value #STEP_COUNT} as an i64 scalar); names not given keep their initial values.
   */
  public TrainingGraph withState(Map<String, dev.kiln.spec.HostTensor> values) {
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : graph.parameters()) {
      dev.kiln.spec.HostTensor v = values.get(p.name());
      if (v != null && !v.type().equals(p.value().type())) {
        throw new KilnException("state '" + p.name() + "' is " + p.value().type() + ", cannot take " + v.type());
      }
      ps.add(v == null ? p : p.withInitial(v));
    }
    return new TrainingGraph(graph.with(ps, graph.nodes(), graph.outputs()), state, dataInputs);
  }

  /** The host-fed form: learning rate and step are inputs fed each step, as the trainer does. */
  public static TrainingGraph hostFed(TrainStep step) { return build(step, null, 0); }

  /**
   * The self-contained form: the step counter is state and the rate is {@code schedule} built in the graph,
   * with epoch = floor(step / stepsPerEpoch) (0-based step; the trainer's epochs have that many batches).
   */
  public static TrainingGraph selfContained(TrainStep step, GraphSchedule schedule, long stepsPerEpoch) {
    if (schedule == null) throw new KilnException("a self-contained training step needs a schedule the graph can compute (Schedules.*)");
    if (stepsPerEpoch < 1) throw new KilnException("steps per epoch must be >= 1, got " + stepsPerEpoch);
    return build(step, schedule, stepsPerEpoch);
  }

  private static TrainingGraph build(TrainStep step, GraphSchedule schedule, long stepsPerEpoch) {
    Graph g = step.graph();
    GraphBuilder b = new GraphBuilder(g.name());
    Map<Value, Value> map = new IdentityHashMap<>();
    List<String> data = new ArrayList<>();
    Value lrIn = null;
    Value stepIn = null;
    for (Value v : g.inputs()) {
      boolean special = v.name().equals(TrainStep.LR) || v.name().equals(TrainStep.STEP);
      if (special && schedule != null) {
        if (v.name().equals(TrainStep.LR)) lrIn = v; else stepIn = v;
        continue;
      }
      map.put(v, b.input(v.name(), v.type()));
      if (!special) data.add(v.name());
    }
    for (Parameter p : g.parameters()) {
      map.put(p.value(), b.at(List.of(), null, () -> b.parameter(p.name(), p.initial(), p.trainable(), p.initializer())));
    }
    Map<String, String> state = new LinkedHashMap<>();
    Value nextCount = null;
    if (schedule != null) {
      if (g.parameter(STEP_COUNT).isPresent()) throw new KilnException("the model already has a parameter named " + STEP_COUNT);
      Value count = b.at(List.of(), null, () -> b.parameter(STEP_COUNT, HostTensor.scalar(DType.I64, 0), false, "zeros"));
      nextCount = Ops.add(b, count, Ops.constant(b, HostTensor.scalar(DType.I64, 1)));
      // The trainer's 1-based step is the count after this step; its 0-based global step is the count before.
      Value step1 = Ops.cast(b, nextCount, DType.F32);
      Value step0 = Ops.cast(b, count, DType.F32);
      Value epoch = Ops.floor(b, Ir.scale(b, step0, 1.0 / stepsPerEpoch));
      Value lr = Ir.cast(b, schedule.build(b, epoch, step0), DType.F32);
      if (stepIn != null) map.put(stepIn, step1);
      if (lrIn != null) map.put(lrIn, lr);
    }
    for (Node n : g.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      Node copy = b.copy(n, in);
      for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
    }
    g.metadata().forEach(b::metadata);
    b.output(LOSS, map.get(g.outputs().get(0)));
    for (Value o : g.outputs().subList(1, g.outputs().size())) {
      if (step.assignments().containsKey(o) || TrainingForm.isUpdate(o)) continue;
      b.output(map.get(o));
    }
    for (Map.Entry<Value, String> a : step.assignments().entrySet()) {
      String next = a.getValue() + NEXT;
      b.output(next, map.get(a.getKey()));
      state.put(a.getValue(), next);
    }
    if (nextCount != null) {
      b.output(STEP_COUNT + NEXT, nextCount);
      state.put(STEP_COUNT, STEP_COUNT + NEXT);
    }
    return new TrainingGraph(b.build(), state, data);
  }
}
