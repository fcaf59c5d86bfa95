package dev.kiln.runtime.train;

import dev.kiln.compiler.autodiff.Autodiff;
import dev.kiln.dsl.Model;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's full-batch loss and gradient as an {@link Lbfgs.Objective} over the flattened trainable parameters, run
 * on any {@link Backend}: the model's evaluation graph + loss (+ penalty) is differentiated once ({@link Autodiff})
 * and opened as the evaluation graph of a back-end session, whose variables are the model's parameters; each
 * evaluation writes the point into them and runs the loss and gradients over the whole dataset in one call.
 *
 * <p>NOTE: the evaluation form is used (dropout off, batch norm on its running statistics) because a quasi-Newton
 * method needs a deterministic function; L-BFGS suits small, smooth models. For large data, pass a subset (large
 * batch) rather than the whole set: every evaluation feeds every example.
 *
 * <pre>{@code
 * try (FullBatchObjective f = FullBatchObjective.builder(model).loss(Losses.softmaxCrossEntropy(Reduction.MEAN), "output").build(data)) {
 *   Lbfgs.Result r = new Lbfgs(Lbfgs.Options.defaults().maxIter(50)).minimize(f, f.point());
 *   Model trained = f.model(r.x());
 * }
 * }</pre>
 */
public final class FullBatchObjective implements Lbfgs.Objective, AutoCloseable {
  private final Graph forward;
  private final List<Parameter> params;
  private final List<String> fetch;
  private final Map<String, HostTensor> feed;
  private final TrainSession session;
  private final int size;
  private int evaluations;

  /** Configures the objective of {@code model}'s evaluation graph. */
  public static Builder builder(Model model) { return new Builder(model.evalGraph()); }

  /** Configures the objective of {@code source}'s evaluation graph ({@code build(false)}). */
  public static Builder builder(GraphSource source) { return new Builder(source.build(false)); }

  /** Options: the loss (required), a penalty, the back end. */
  public static final class Builder {
    private final Graph forward;
    private Loss loss;
    private String output = "output";
    private String labelInput = "labels";
    private Regularization penalty;
    private Backend backend;

    private Builder(Graph forward) { this.forward = forward; }

    /** The loss over model output {@code output} against a label input named {@code labels}. */
    public Builder loss(Loss l, String out) {
      this.loss = l;
      this.output = out;
      return this;
    }

    /** A penalty added to the loss over the trainable parameters. */
    public Builder regularization(Regularization p) {
      this.penalty = p;
      return this;
    }

    /** The back end (default: the one on the class path, {@link Backends#find()}). */
    public Builder backend(Backend b) {
      this.backend = b;
      return this;
    }

    /** Compiles the loss and gradient graph and opens it on the back end over {@code data}. */
    public FullBatchObjective build(Dataset data) {
      if (loss == null) throw new KilnException("the full-batch objective needs a loss (FullBatchObjective.Builder.loss)");
      return new FullBatchObjective(this, data);
    }
  }

  private FullBatchObjective(Builder cfg, Dataset data) {
    this.forward = cfg.forward;
    this.size = data.size();
    Feeds feeds = new Feeds(forward.inputs().stream().filter(v -> !v.name().equals(TrainStep.STEP)).toList());
    feeds.check("L-BFGS", data);
    long[] s = data.labels().shape();
    TensorType labelType = TrainStep.labelType(data.labels().dtype(), Arrays.copyOfRange(s, 1, s.length));
    Graph lossGraph = TrainStep.lossGraph(forward, cfg.loss, cfg.output, cfg.labelInput, labelType, cfg.penalty);
    DataChecks.labels("L-BFGS", data, labelType);
    this.params = lossGraph.parameters().stream().filter(Parameter::trainable).toList();
    if (params.isEmpty()) throw new KilnException("model " + forward.name() + " has no trainable parameters to minimise over");
    Graph grads = Autodiff.gradients(lossGraph, lossGraph.outputs().get(0), params.stream().map(Parameter::value).toList(), false);
    this.fetch = grads.outputs().stream().map(Value::name).toList();
    // The back-end interface opens a train step with its evaluation graph; the step (plain SGD) is never run, it
    // only gives the session its variables. The gradient graph is the evaluation graph.
    TrainStep step = TrainStep.compile(lossGraph, Optimizers.sgd(), null);
    Backend backend = cfg.backend != null ? cfg.backend : Backends.find();
    this.session = backend.open(step, grads);
    Map<String, HostTensor> f = new HashMap<>(feeds.of(data));
    f.put(cfg.labelInput, data.labels());
    this.feed = Map.copyOf(f);
  }

  /** The number of values minimised over (every trainable parameter's elements). */
  public int dimension() {
    long n = 0;
    for (Parameter p : params) n += p.initial().size();
    if (n > Integer.MAX_VALUE) throw new KilnException("L-BFGS over " + n + " values: too many for one host vector");
    return (int) n;
  }

  /** The trainable parameters' current values (initially the model's), flattened in graph order. */
  public double[] point() {
    Map<String, HostTensor> vars = session.readVariables();
    double[] x = new double[dimension()];
    int off = 0;
    for (Parameter p : params) {
      double[] v = vars.get(p.name()).toDoubles();
      System.arraycopy(v, 0, x, off, v.length);
      off += v.length;
    }
    return x;
  }

  /** The trainable parameters at point {@code x}, by name, each in its dtype and shape. */
  public Map<String, HostTensor> parameters(double[] x) {
    if (x.length != dimension()) throw new KilnException("L-BFGS point has " + x.length + " values, the model " + dimension());
    Map<String, HostTensor> out = new LinkedHashMap<>();
    int off = 0;
    for (Parameter p : params) {
      int n = (int) p.initial().size();
      out.put(p.name(), HostTensor.fromDoubles(p.initial().dtype(), Arrays.copyOfRange(x, off, off + n), p.initial().shape()));
      off += n;
    }
    return out;
  }

  @Override public double evaluate(double[] x, double[] gradient) {
    session.writeVariables(parameters(x));
    Map<String, HostTensor> out = session.evaluate(feed, fetch);
    evaluations++;
    int off = 0;
    for (String name : fetch.subList(1, fetch.size())) {
      double[] g = out.get(name).toDoubles();
      System.arraycopy(g, 0, gradient, off, g.length);
      off += g.length;
    }
    return out.get(fetch.get(0)).getDouble(0);
  }

  /** Evaluations made so far. */
  public int evaluations() { return evaluations; }

  /** The examples each evaluation runs over. */
  public int size() { return size; }

  /** The model (evaluation graph) with its trainable parameters at {@code x}, ready to export or predict with. */
  public Model model(double[] x) {
    Map<String, HostTensor> values = parameters(x);
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : forward.parameters()) ps.add(values.containsKey(p.name()) ? p.withInitial(values.get(p.name())) : p);
    return new Model(forward.with(ps, forward.nodes(), forward.outputs()));
  }

  @Override public void close() { session.close(); }
}
