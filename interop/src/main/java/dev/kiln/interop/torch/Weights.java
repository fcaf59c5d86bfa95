package dev.kiln.interop.torch;

import dev.kiln.dsl.Model;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Node;
import dev.kiln.spec.ir.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds PyTorch weights to a DSL model by name and exports a model's weights back in PyTorch's names
 * and layouts. Layouts: a Kiln linear weight is {@code [in, out]} (it is multiplied from the right),
 * PyTorch's {@code nn.Linear.weight} is {@code [out, in]}, so such weights are transposed; convolution
 * kernels are {@code [O, I/groups, k...]} in both. Batch norms' {@code num_batches_tracked} counters are
 * skipped on load (Kiln keeps none) and written as 0 by {@link #savePt}. Recurrent layers need no conversion:
 * the DSL's LSTM/GRU/RNN layers keep PyTorch's {@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0},
 * {@code bias_hh_l0} as they are (gate order i,f,g,o and r,z,n) and reorder the gates inside the graph.
 */
public final class Weights {
  private Weights() {}

  /** A model with loaded parameters and what was matched. */
  public record Loaded(Model model, LoadReport report) {}

  /** Loads strictly with names unchanged; throws listing every missing, unexpected and mis-shaped key. */
  public static Model load(Model model, StateDict weights) { return load(model, weights, LoadOptions.defaults()).model(); }

  /**
   * Loads {@code weights} into a copy of {@code model}. In strict mode any problem throws a
   * {@link KilnException} listing them all; otherwise matching parameters are replaced and the
   * report says what was not.
   */
  public static Loaded load(Model model, StateDict weights, LoadOptions options) {
    Graph g = model.graph();
    Set<String> linear = linearWeights(g);
    Map<String, Parameter> params = new LinkedHashMap<>();
    for (Parameter p : g.parameters()) params.put(p.name(), p);
    Map<String, HostTensor> replaced = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    Set<String> misfits = new HashSet<>();
    for (Map.Entry<String, HostTensor> e : weights.tensors().entrySet()) {
      String name = options.map(e.getKey());
      if (name == null) continue;
      Parameter p = params.get(name);
      if (p == null && isBatchCounter(name, params.keySet())) continue;
      if (p == null) { unexpected.add(e.getKey()); continue; }
      HostTensor t = e.getValue();
      boolean transposed = options.convertLayouts() && linear.contains(name) && t.rank() == 2;
      if (transposed) t = transpose(t);
      long[] want = p.initial().shape();
      String label = e.getKey().equals(name) ? name : e.getKey() + " -> " + name;
      if (!Arrays.equals(want, t.shape())) {
        mismatched.add(label + ": checkpoint shape " + Arrays.toString(e.getValue().shape())
            + (transposed ? " (as Kiln's [in, out]: " + Arrays.toString(t.shape()) + ")" : "") + ", model shape " + Arrays.toString(want));
        misfits.add(name);
        continue;
      }
      DType dt = p.initial().dtype();
      if (t.dtype() != dt) {
        if (!(t.dtype().isFloating() && dt.isFloating())) {
          mismatched.add(label + ": checkpoint dtype " + t.dtype() + ", model dtype " + dt);
          misfits.add(name);
          continue;
        }
        t = HostTensor.fromDoubles(dt, t.toDoubles(), t.shape());
      }
      if (replaced.put(name, t) != null) mismatched.add(label + ": a second key maps to parameter " + name);
    }
    List<String> missing = new ArrayList<>();
    // A parameter whose key did not fit is reported once, as mismatched, not also as missing.
    for (String n : params.keySet()) if (!replaced.containsKey(n) && !misfits.contains(n)) missing.add(n);
    LoadReport report = new LoadReport(new ArrayList<>(replaced.keySet()), missing, unexpected, mismatched);
    if (options.strict() && !report.isComplete()) {
      throw new KilnException("error loading weights into model '" + model.name() + "':\n" + report.describe());
    }
    List<Parameter> ps = new ArrayList<>();
    for (Parameter p : g.parameters()) ps.add(replaced.containsKey(p.name()) ? p.withInitial(replaced.get(p.name())) : p);
    return new Loaded(new Model(g.with(ps, g.nodes(), g.outputs())), report);
  }

  /** The model's parameters in PyTorch names and layouts (linear weights transposed to {@code [out, in]}). */
  public static Map<String, HostTensor> toPyTorch(Model model) {
    Set<String> linear = linearWeights(model.graph());
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Parameter p : model.graph().parameters()) {
      HostTensor t = p.initial();
      out.put(p.name(), linear.contains(p.name()) && t.rank() == 2 ? transpose(t) : t);
    }
    return out;
  }

  /** Writes the model's parameters as a safetensors file PyTorch can load ({@code load_state_dict}), atomically. */
  public static void saveSafetensors(Model model, Path path) throws IOException {
    Safetensors.write(path, toPyTorch(model), Map.of("format", "pt", "producer", "kiln", "model", model.name()));
  }

  /**
   * Writes the model's parameters as a {@code torch.save} zip-format state dict ({@code OrderedDict} of tensors)
   * in PyTorch's names and layouts, atomically; each batch norm also gets PyTorch's {@code num_batches_tracked}
   * counter (int64, 0), so the key set is that of the PyTorch module. PyTorch loads it with
   * {@code torch.load(path, weights_only=True)}; see {@link TorchWriter} for what the pickle may contain.
   */
  public static void savePt(Model model, Path path) throws IOException {
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    Map<String, HostTensor> torch = toPyTorch(model);
    torch.forEach((name, t) -> {
      tensors.put(name, t);
      if (name.endsWith(RUNNING_VAR) && torch.containsKey(batchNormPrefix(name) + "running_mean")) {
        tensors.put(batchNormPrefix(name) + BATCH_COUNTER, HostTensor.ofBytes(DType.I64, new long[0], new byte[8]));
      }
    });
    TorchWriter.write(path, tensors);
  }

  private static final String RUNNING_VAR = "running_var";
  private static final String BATCH_COUNTER = "num_batches_tracked";

  private static String batchNormPrefix(String name) { return name.substring(0, name.length() - RUNNING_VAR.length()); }

  /**
   * PyTorch's BatchNorm keeps a {@code num_batches_tracked} counter that only matters with {@code momentum=None};
   * Kiln's batch norm has none, so the key is skipped when the model has that layer's running statistics.
   */
  static boolean isBatchCounter(String name, Set<String> params) {
    if (!name.endsWith(BATCH_COUNTER)) return false;
    return params.contains(name.substring(0, name.length() - BATCH_COUNTER.length()) + "running_mean");
  }

  /** Parameters used as the right operand of a MatMul: Kiln's {@code [in, out]} linear weights. */
  static Set<String> linearWeights(Graph g) {
    Set<String> names = new HashSet<>();
    for (Node n : g.nodes()) {
      if (n.opName().equals("MatMul") && n.inputs().size() == 2) names.add(n.input(1).name());
    }
    Set<String> params = new HashSet<>();
    for (Parameter p : g.parameters()) if (names.contains(p.name())) params.add(p.name());
    return params;
  }

  /** A 2-D transpose, moving whole elements so it works for every dtype. */
  static HostTensor transpose(HostTensor t) {
    long[] s = t.shape();
    int rows = Math.toIntExact(s[0]);
    int cols = Math.toIntExact(s[1]);
    int w = t.dtype().byteSize();
    byte[] src = t.bytes();
    byte[] dst = new byte[src.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) System.arraycopy(src, (r * cols + c) * w, dst, (c * rows + r) * w, w);
    }
    return HostTensor.ofBytes(t.dtype(), new long[] {cols, rows}, dst);
  }
}
