package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of {@link Trainer#trainStep} or {@link Trainer#evalStep}.
 *
 * @param step the trainer's step counter after it (1 after the first training step; unchanged by evaluation)
 * @param learningRate the rate the update used (NaN for evaluation)
 * @param loss the batch's loss (with regularisation, as the optimizer saw it)
 * @param metrics each configured metric on this batch alone, by name, in configuration order
 */
public record StepResult(long step, double learningRate, double loss, Map<String, Double> metrics) {
  /** {@code metrics} on one batch alone (each is reset before and after: a custom loop keeps its own totals). */
  static Map<String, Double> metricsOn(List<Metric> metrics, HostTensor output, HostTensor labels) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Metric metric : metrics) {
      metric.reset();
      metric.update(output, labels);
      m.put(metric.name(), metric.result());
      metric.reset();
    }
    return m;
  }
}
