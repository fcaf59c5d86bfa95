package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.EvalMode;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.TrainingForm;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Monte Carlo dropout (Gal and Ghahramani, 2016): predictive inference with dropout kept on, T stochastic passes
 * batched in one graph. {@link #graph} turns a classifier's training-form graph into one whose input is tiled T
 * times along the batch (pass-major), runs the model with its dropout masks drawn per element of the tiled batch
 * (so each pass gets its own masks) and batch norm on running statistics, and reduces the T softmax outputs per
 * example to:
 * <ul>
 *   <li>{@value #MEAN} [batch, classes]: the predictive mean p̄ = mean over passes of softmax(logits);
 *   <li>{@value #VARIANCE} [batch, classes]: the variance over passes of each class probability;
 *   <li>{@value #ENTROPY} [batch]: the predictive entropy H(p̄) = -sum p̄ log p̄ (nats);
 *   <li>{@value #MUTUAL_INFORMATION} [batch]: H(p̄) minus the mean entropy of the passes (the model's own
 *       uncertainty, BALD's score).
 * </ul>
 * On the training back end the masks are keyed by the scalar input {@value TrainingForm#STEP}, which acts as the
 * seed: the same seed gives the same result, another seed other masks. Exported with {@code
 * ExportOptions.keepDropout(true)}, the model draws its masks in ONNX Runtime (RandomUniformLike).
 */
public final class McDropout {
  private McDropout() {}

  /** Output names. */
  public static final String MEAN = "mc.mean";
  public static final String VARIANCE = "mc.variance";
  public static final String ENTROPY = "mc.entropy";
  public static final String MUTUAL_INFORMATION = "mc.mutual_information";

  /** NOTE: keeps log(p) finite where a pass gives a class probability 0 (float32 softmax underflow). */
  static final double LOG_EPS = 1e-12;

  /**
   * The Monte Carlo graph of {@code training} (a training-form classifier graph with input {@code input}
   * [batch, ...] and output {@code logits} [batch, classes]), with {@code passes} stochastic passes.
   */
  public static Graph graph(Graph training, String input, String logits, int passes) {
    if (passes < 1) throw new KilnException("Monte Carlo dropout needs at least 1 pass, got " + passes);
    if (training.nodes().stream().noneMatch(n -> n.opName().equals("Dropout") && n.attrs().getBool("training"))) {
      throw new KilnException("graph " + training.name() + " has no training-form dropout: Monte Carlo passes would all be equal");
    }
    Value out = find(training.outputs(), logits, "output");
    TensorType lt = out.type();
    if (lt.rank() != 2 || !lt.shape().dim(1).isStatic()) throw new KilnException("output " + logits + " must be [batch, classes], got " + lt);
    long classes = lt.shape().dim(1).size();
    GraphBuilder b = new GraphBuilder(training.name() + "_mc" + passes);
    Map<Value, Value> map = new IdentityHashMap<>();
    find(training.inputs(), input, "input");
    for (Value v : training.inputs()) {
      Value copy = b.input(v.name(), v.type());
      if (v.name().equals(input)) {
        long[] reps = new long[v.type().rank()];
        java.util.Arrays.fill(reps, 1);
        reps[0] = passes;
        copy = Ops.tile(b, copy, reps);
      }
      map.put(v, copy);
    }
    if (training.inputs().stream().noneMatch(v -> v.name().equals(TrainingForm.STEP))) {
      throw new KilnException("graph " + training.name() + " has no " + TrainingForm.STEP + " input for its dropout masks");
    }
    for (Parameter p : training.parameters()) {
      map.put(p.value(), b.at(List.of(), null, () -> b.parameter(p.name(), p.initial(), p.trainable(), p.initializer())));
    }
    for (Node n : training.nodes()) {
      List<Value> in = new ArrayList<>();
      for (Value v : n.inputs()) in.add(v == null ? null : map.get(v));
      Node copy = b.copy(n, in);
      for (int i = 0; i < n.outputs().size(); i++) map.put(n.outputs().get(i), copy.outputs().get(i));
    }
    training.metadata().forEach(b::metadata);
    b.scoped("mc", () -> {
      Value p = Ops.softmax(b, Ops.reshape(b, map.get(out), new long[] {passes, -1, classes}), -1L);   // [T, batch, C]
      Value mean = Ops.reduceMean(b, p, new long[] {0}, false);
      Value dev = Ops.sub(b, p, mean);
      Value variance = Ops.reduceMean(b, Ops.mul(b, dev, dev), new long[] {0}, false);
      Value entropy = entropy(b, mean, -1);
      Value passEntropy = Ops.reduceMean(b, entropy(b, p, -1), new long[] {0}, false);
      b.output(MEAN, mean);
      b.output(VARIANCE, variance);
      b.output(ENTROPY, entropy);
      b.output(MUTUAL_INFORMATION, Ops.sub(b, entropy, passEntropy));
      return null;
    });
    return EvalMode.run(b.build(), true);
  }

  /** -sum p log(p + eps) over {@code axis}. */
  private static Value entropy(GraphBuilder b, Value p, long axis) {
    Value eps = Ops.constant(b, HostTensor.fromDoubles(p.type().dtype(), new double[] {LOG_EPS}));
    Value plogp = Ops.mul(b, p, Ops.log(b, Ops.add(b, p, eps)));
    return Ops.neg(b, Ops.reduceSum(b, plogp, new long[] {axis}, false));
  }

  /** Runs the Monte Carlo graph on {@code backend} for {@code x} with masks keyed by {@code seed}. */
  public static Map<String, HostTensor> run(Backend backend, Graph mc, String input, HostTensor x, long seed) {
    return backend.run(mc, Map.of(input, x, TrainingForm.STEP, HostTensor.scalar(dev.kiln.spec.DType.F32, seed)));
  }

  private static Value find(List<Value> values, String name, String what) {
    for (Value v : values) if (v.name().equals(name)) return v;
    throw new KilnException("graph has no " + what + " named '" + name + "'; it has " + values.stream().map(Value::name).toList());
  }
}
