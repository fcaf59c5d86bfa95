package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code --backend auto} ({@code -Dkiln.backend=auto}, {@code TrainerBuilder.backend("auto")}): opens the step on
 * every back end on the class path and, on the first training batch, times a few warm steps of that batch on each
 * ({@link AutoSession}); the fastest keeps training from the untouched initial state, the others are closed, and
 * one line says which it picked and why. Measuring per model and batch rather than reading a table because which
 * back end wins depends on both (ONNX Runtime's MLAS kernels against TensorFlow's oneDNN ones, per op mix).
 */
public final class AutoBackend implements Backend {
  /** The name that selects it. */
  public static final String NAME = "auto";

  private final List<Backend> candidates;
  private final Consumer<String> report;

  /** Chooses among {@code candidates} (at least one), reporting the choice to {@code report}. */
  public AutoBackend(List<Backend> candidates, Consumer<String> report) {
    if (candidates.isEmpty()) throw new KilnException("--backend auto: no training back end on the class path to choose from");
    this.candidates = List.copyOf(candidates);
    this.report = report;
  }

  /** Chooses among the back ends on the class path, reporting on standard output. */
  public static AutoBackend onClassPath() {
    List<Backend> all = new ArrayList<>(Backends.available());
    all.sort(java.util.Comparator.comparingInt(Backend::priority).reversed());
    return new AutoBackend(all, line -> {
      System.out.println(line);
      System.out.flush();
    });
  }

  @Override public String name() { return NAME; }

  /** Below every real back end: {@code auto} is only ever chosen by name. */
  @Override public int priority() { return Integer.MIN_VALUE; }

  /** The back ends it chooses among. */
  public List<Backend> candidates() { return candidates; }

  @Override public TrainSession open(TrainStep step, Graph evalGraph) {
    List<TrainSession> sessions = new ArrayList<>();
    try {
      for (Backend b : candidates) sessions.add(b.open(step, evalGraph));
    } catch (RuntimeException e) {
      sessions.forEach(TrainSession::close);
      throw e;
    }
    return new AutoSession(candidates.stream().map(Backend::name).toList(), sessions, report);
  }

  /** Runs on the first candidate (the highest-priority one, TensorFlow when present): nothing to time here. */
  @Override public Map<String, HostTensor> run(Graph graph, Map<String, HostTensor> feed) {
    return candidates.get(0).run(graph, feed);
  }
}
