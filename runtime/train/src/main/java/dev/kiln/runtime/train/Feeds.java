package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.Rows;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a dataset's feature tensors to the model's inputs: a dataset with one unnamed tensor feeds a model
 * with one input; a dataset with named tensors ({@link Dataset#of}) feeds each model input by its name.
 */
final class Feeds {
  private final List<Value> inputs;

  /** The model's feature inputs (the evaluation graph's inputs). */
  Feeds(List<Value> inputs) {
    if (inputs.isEmpty()) throw new KilnException("the model has no inputs to feed");
    this.inputs = List.copyOf(inputs);
  }

  List<Value> inputs() { return inputs; }

  private List<String> names() { return inputs.stream().map(Value::name).toList(); }

  /** Checks that {@code names} (a dataset's or batch's, empty = one unnamed tensor) can feed the model. */
  private void checkNames(String what, List<String> names) {
    if (names.isEmpty()) {
      if (inputs.size() != 1) {
        throw new KilnException(what + " has one unnamed feature tensor but the model has inputs " + inputs
            + "; give one tensor per input by name (Dataset.of(Map.of(name, tensor, ...), labels))");
      }
      return;
    }
    if (!new java.util.HashSet<>(names).equals(new java.util.HashSet<>(names()))) {
      throw new KilnException(what + " has inputs " + names + " but the model has inputs " + inputs);
    }
  }

  /** Checks {@code d}'s features against the model's inputs (names, dtypes, every static dim after the batch axis). */
  void check(String what, Dataset d) {
    if (d == null || d.size() == 0) throw new KilnException(what + " dataset is empty");
    checkNames(what + " data", d.inputNames());
    for (Value v : inputs) {
      HostTensor t = d.inputNames().isEmpty() ? d.features() : d.features(v.name());
      DataChecks.check(what + " features" + (d.inputNames().isEmpty() ? "" : " '" + v.name() + "'"), t,
          "model input '" + v.name() + "'", v.type());
    }
  }

  /** Puts {@code b}'s features into {@code feed}, or into {@code rows} where the batch holds rows of its dataset. */
  void put(Batch b, Map<String, HostTensor> feed, Map<String, Rows> rows) {
    checkNames("the batch", b.inputNames());
    for (Value v : inputs) {
      Rows r = b.inputNames().isEmpty() ? b.featureRows() : b.featureRows(v.name());
      if (r != null) rows.put(v.name(), r);
      else feed.put(v.name(), b.inputNames().isEmpty() ? b.features() : b.features(v.name()));
    }
  }

  /** Rows {@code indices} of {@code d}'s features, by model input name, into {@code rows}. */
  void put(Dataset d, int[] indices, Map<String, Rows> rows) {
    for (Value v : inputs) rows.put(v.name(), new Rows(d.inputNames().isEmpty() ? d.features() : d.features(v.name()), indices));
  }

  /** {@code b}'s features as host tensors by model input name. */
  Map<String, HostTensor> of(Batch b) {
    checkNames("the batch", b.inputNames());
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (Value v : inputs) m.put(v.name(), b.inputNames().isEmpty() ? b.features() : b.features(v.name()));
    return m;
  }

  /** {@code d}'s features by model input name. */
  Map<String, HostTensor> of(Dataset d) {
    checkNames("the data", d.inputNames());
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (Value v : inputs) m.put(v.name(), d.inputNames().isEmpty() ? d.features() : d.features(v.name()));
    return m;
  }

  /** One tensor for a model with one input. */
  Map<String, HostTensor> of(HostTensor features) {
    checkNames("the features", List.of());
    return Map.of(inputs.get(0).name(), features);
  }
}
