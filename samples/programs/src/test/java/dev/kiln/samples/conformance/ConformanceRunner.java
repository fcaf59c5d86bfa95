package dev.kiln.samples.conformance;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Runs one conformance case: import, then (a) lower and run on TensorFlow and (b) export and run in ONNX
 * Runtime, comparing each with the expected outputs. Unsupported ops or data are counted apart from
 * failures (wrong numbers, crashes in Kiln code).
 */
final class ConformanceRunner {
  static final double RTOL = 1e-3;
  static final double ATOL = 1e-7;
  /** Names the case running on TF: a native abort of the JVM leaves it behind for the next run to report. */
  static final Path MARKER = Path.of("target", "conformance-running.txt");

  /** Both outcomes of a case and the ONNX op types its model uses. */
  record Result(ConformanceCase c, TreeSet<String> ops, Outcome tf, Outcome ort) {}

  private ConformanceRunner() {}

  /** Cases known to abort the JVM on TensorFlow, with why (from {@code conformance-tf-abort.txt}). */
  static final Map<String, String> TF_ABORTS = load("/conformance-tf-abort.txt");

  /** A resource of {@code case  # why} lines. */
  private static Map<String, String> load(String resource) {
    Map<String, String> m = new LinkedHashMap<>();
    try (var in = ConformanceRunner.class.getResourceAsStream(resource)) {
      if (in == null) return m;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) continue;
        int hash = t.indexOf('#');
        m.put((hash < 0 ? t : t.substring(0, hash)).strip(), hash < 0 ? "" : t.substring(hash + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  static Result run(ConformanceCase c) {
    TreeSet<String> ops = new TreeSet<>();
    Graph g;
    List<HostTensor> inputs;
    List<HostTensor> expected;
    ModelProto m;
    try {
      m = OnnxImporter.read(c.model());
      for (NodeProto n : m.getGraph().getNodeList()) ops.add((n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType());
      g = OnnxImporter.importModel(m, c.dir(), ImportOptions.defaults());
      inputs = c.inputs();
      expected = c.outputs();
    } catch (UnsupportedOpException e) {
      Outcome u = Outcome.unsupported("import: " + e.getMessage());
      return new Result(c, ops, u, u);
    } catch (RuntimeException e) {
      Outcome f = Outcome.fail("import: " + e);
      return new Result(c, ops, f, f);
    }
    if (inputs.size() != g.inputs().size() || expected.size() != g.outputs().size()) {
      Outcome f = Outcome.fail("test data has " + inputs.size() + " inputs / " + expected.size() + " outputs, the graph "
          + g.inputs().size() + " / " + g.outputs().size());
      return new Result(c, ops, f, f);
    }
    inputs = bf16AsStored(inputs, g.inputs());
    expected = bf16AsStored(expected, g.outputs());
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) feed.put(g.inputs().get(i).name(), inputs.get(i));
    String abort = TF_ABORTS.get(c.toString());
    Function<Graph, Map<String, HostTensor>> onTf = gr -> {
      mark(c.toString());
      try (TfModel tm = TfModel.load(gr)) {
        return tm.run(feed);
      }
    };
    Function<Graph, Map<String, HostTensor>> onOrt = gr -> {
      byte[] bytes = OnnxExporter.export(gr).toByteArray();
      try (OnnxRuntimeModel om = OnnxRuntimeModel.load(bytes)) {
        return om.run(feed);
      }
    };
    Outcome tf;
    Outcome ort;
    if (RandomOutputs.applies(c)) {
      boolean seeded = RandomOutputs.seeded(m);
      tf = abort != null ? Outcome.fail("aborts TensorFlow (not run): " + abort) : random(c, g, inputs, expected, seeded, onTf);
      ort = random(c, g, inputs, expected, seeded, onOrt);
    } else {
      tf = abort != null ? Outcome.fail("aborts TensorFlow (not run): " + abort) : backEnd(g, expected, onTf);
      ort = backEnd(g, expected, onOrt);
      tf = naming(m, tf);
      ort = naming(m, ort);
    }
    String erratum = ERRATA.get(c.toString());
    if (erratum != null) {
      if (tf.kind() == Outcome.Kind.FAIL) tf = Outcome.erratum(erratum, tf);
      if (ort.kind() == Outcome.Kind.FAIL) ort = Outcome.erratum(erratum, ort);
    }
    return new Result(c, ops, tf, ort);
  }

  /**
   * A wrong value names the ONNX node that computes the output, its op and opset (the outcome's text starts
   * "output i (name): ..." for those).
   */
  private static Outcome naming(ModelProto m, Outcome o) {
    if (o.kind() != Outcome.Kind.FAIL || !o.detail().startsWith("output ")) return o;
    int open = o.detail().indexOf('(');
    int close = o.detail().indexOf("):");
    if (open < 0 || close < open) return o;
    String out = o.detail().substring(open + 1, close);
    long opset = m.getOpsetImportList().stream().filter(x -> x.getDomain().isEmpty() || x.getDomain().equals("ai.onnx"))
        .mapToLong(x -> x.getVersion()).findFirst().orElse(0);
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (n.getOutputList().contains(out)) {
        String name = n.getName().isEmpty() ? out : n.getName();
        return new Outcome(Outcome.Kind.FAIL, "node '" + name + "' (" + n.getOpType() + ", opset " + opset + "): " + o.detail(), o.multiLine());
      }
    }
    return o;
  }

  /** Cases whose test data is wrong, with why (from {@code conformance-errata.txt}); they still count as failing. */
  static final Map<String, String> ERRATA = load("/conformance-errata.txt");

  /**
   * A random case ({@link RandomOutputs}): the outputs must follow the op's law; a seeded one is run a second time
   * (a new session) and must repeat the first run's values.
   */
  private static Outcome random(ConformanceCase c, Graph g, List<HostTensor> inputs, List<HostTensor> expected, boolean seeded,
      Function<Graph, Map<String, HostTensor>> run) {
    List<String> names = g.outputs().stream().map(Value::name).toList();
    try {
      List<HostTensor> got = RandomOutputs.inOrder(run.apply(g), names);
      String p = RandomOutputs.problem(c, inputs, expected, got);
      if (p != null) return Outcome.fail("random outputs (checked by distribution): " + p);
      if (seeded) {
        List<HostTensor> again = RandomOutputs.inOrder(run.apply(g), names);
        for (int i = 0; i < got.size(); i++) {
          if (!got.get(i).buffer().equals(again.get(i).buffer())) {
            return Outcome.fail("random outputs: output " + i + " differs between two runs with the same seed");
          }
        }
      }
      return Outcome.pass();
    } catch (UnsupportedOpException e) {
      return Outcome.unsupported(e.getMessage());
    } catch (RuntimeException e) {
      return Outcome.fail(e.toString());
    }
  }

  /**
   * ONNX's older test data stores bfloat16 tensors as uint16 (TensorProto type 4) holding the same bits;
   * where the graph's value is bf16, the data is read as bf16.
   */
  private static List<HostTensor> bf16AsStored(List<HostTensor> data, List<Value> values) {
    List<HostTensor> out = new ArrayList<>(data);
    for (int i = 0; i < Math.min(out.size(), values.size()); i++) {
      HostTensor t = out.get(i);
      if (t.dtype() == DType.U16 && values.get(i).type().dtype() == DType.BF16) {
        out.set(i, HostTensor.ofBuffer(DType.BF16, t.shape(), t.buffer()));
      }
    }
    return out;
  }

  private static Outcome backEnd(Graph g, List<HostTensor> expected, Function<Graph, Map<String, HostTensor>> run) {
    Map<String, HostTensor> got;
    try {
      got = run.apply(g);
    } catch (UnsupportedOpException e) {
      return Outcome.unsupported(e.getMessage());
    } catch (RuntimeException e) {
      return Outcome.fail(e.toString());
    }
    for (int i = 0; i < expected.size(); i++) {
      String p = Compare.problem(expected.get(i), got.get(g.outputs().get(i).name()), RTOL, ATOL);
      if (p != null) return Outcome.fail("output " + i + " (" + g.outputs().get(i).name() + "): " + p);
    }
    return Outcome.pass();
  }

  static void mark(String what) {
    try {
      Files.createDirectories(MARKER.toAbsolutePath().getParent());
      Files.writeString(MARKER, what + System.lineSeparator(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
