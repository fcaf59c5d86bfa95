package dev.kiln.runtime.spark;

import dev.kiln.runtime.train.EpochRecord;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.StepPhases;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one barrier task sends back to the driver: its epochs (the same on every replica), its all-reduce's figures
 * and where its steps spent their time.
 */
record ReplicaReport(int rank, long steps, long stepsRun, double seconds, String transport, double allReduceSeconds, long bytesSent,
                     List<Epoch> epochs, StepPhases phases) implements Serializable {
  /** One {@link EpochRecord}, in serializable form. */
  record Epoch(int epoch, double loss, LinkedHashMap<String, Double> metrics, double lr, double seconds) implements Serializable {}

  static List<Epoch> of(History h) {
    List<Epoch> out = new ArrayList<>();
    for (EpochRecord r : h.records()) out.add(new Epoch(r.epoch(), r.trainLoss(), new LinkedHashMap<>(r.trainMetrics()), r.learningRate(), r.seconds()));
    return out;
  }

  History history() {
    History h = new History();
    for (Epoch e : epochs) h.add(new EpochRecord(e.epoch, e.loss, e.metrics, Double.NaN, Map.of(), e.lr, e.seconds));
    return h;
  }
}
