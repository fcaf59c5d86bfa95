package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The session of {@link AutoBackend}: one open session per back end until the first training step, which times
 * {@value #WARMUP} + {@value #TIMED} steps of that batch on each (the median of the timed ones counts), puts each
 * session's variables back as they were, keeps the fastest and closes the rest. Before that first step, reads go to
 * the first session and writes (a restored checkpoint) go to all, so every candidate starts from the same state.
 */
final class AutoSession implements TrainSession {
  static final int WARMUP = 2;
  static final int TIMED = 5;

  private final List<String> names;
  private final List<TrainSession> sessions;
  private final Consumer<String> report;
  private TrainSession chosen;

  AutoSession(List<String> names, List<TrainSession> sessions, Consumer<String> report) {
    this.names = names;
    this.sessions = new ArrayList<>(sessions);
    this.report = report;
    if (sessions.size() == 1) {
      chosen = sessions.get(0);
      report.accept("backend auto: " + names.get(0) + " (the only training back end on the class path)");
    }
  }

  @Override public List<HostTensor> step(Map<String, HostTensor> feed, Map<String, Rows> rows, List<String> outputs) {
    if (chosen == null) choose(feed, rows);
    return chosen.step(feed, rows, outputs);
  }

  private void choose(Map<String, HostTensor> feed, Map<String, Rows> rows) {
    double[] ms = new double[sessions.size()];
    for (int i = 0; i < sessions.size(); i++) {
      TrainSession s = sessions.get(i);
      Map<String, HostTensor> before = s.readVariables();
      for (int w = 0; w < WARMUP; w++) s.step(feed, rows, List.of());
      double[] t = new double[TIMED];
      for (int k = 0; k < TIMED; k++) {
        long t0 = System.nanoTime();
        s.step(feed, rows, List.of());
        t[k] = (System.nanoTime() - t0) / 1e6;
      }
      java.util.Arrays.sort(t);
      ms[i] = t[TIMED / 2];
      s.writeVariables(before);  // the timing steps never happened
    }
    int best = 0;
    for (int i = 1; i < ms.length; i++) if (ms[i] < ms[best]) best = i;
    chosen = sessions.get(best);
    List<String> others = new ArrayList<>();
    for (int i = 0; i < ms.length; i++) {
      if (i == best) continue;
      others.add(String.format(Locale.ROOT, "%s %.2f ms", names.get(i), ms[i]));
      sessions.get(i).close();
    }
    report.accept(String.format(Locale.ROOT, "backend auto: %s (%.2f ms/step vs %s; median of %d warm steps on the first batch)",
        names.get(best), ms[best], String.join(", ", others), TIMED));
    sessions.clear();
    sessions.add(chosen);
  }

  @Override public Map<String, HostTensor> evaluate(Map<String, HostTensor> feed, List<String> outputs) {
    return current().evaluate(feed, outputs);
  }

  @Override public Map<String, HostTensor> readVariables() { return current().readVariables(); }

  @Override public void writeVariables(Map<String, HostTensor> values) {
    if (chosen != null) chosen.writeVariables(values);
    else sessions.forEach(s -> s.writeVariables(values));
  }

  private TrainSession current() { return chosen != null ? chosen : sessions.get(0); }

  @Override public void close() { sessions.forEach(TrainSession::close); }
}
