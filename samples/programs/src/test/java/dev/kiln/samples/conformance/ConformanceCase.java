package dev.kiln.samples.conformance;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.compiler.onnx.OnnxTensors;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.UnsupportedOpException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of ONNX's backend test data: {@code DIR/model.onnx} and {@code DIR/test_data_set_0/input_N.pb},
 * {@code output_N.pb} (TensorProtos; inputs feed the graph inputs in order, outputs are the expected
 * results of the graph outputs in order).
 */
record ConformanceCase(String folder, String name, Path dir) {
  static final Path ROOT = Path.of("/usr/share/libonnx-testdata/data");
  static final List<String> FOLDERS = List.of("node", "pytorch-converted", "pytorch-operator", "simple");

  /** Every case of every folder, sorted by folder then name. */
  static List<ConformanceCase> all() {
    List<ConformanceCase> out = new ArrayList<>();
    for (String f : FOLDERS) {
      Path d = ROOT.resolve(f);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted()
            .forEach(p -> out.add(new ConformanceCase(f, p.getFileName().toString(), p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  Path model() { return dir.resolve("model.onnx"); }

  List<HostTensor> inputs() { return tensors("input_"); }

  List<HostTensor> outputs() { return tensors("output_"); }

  /**
   * The numbered tensors of data set 0. Test data that is not a plain tensor (sequences, optionals) or
   * has an element type Kiln lacks makes the case unsupported.
   */
  private List<HostTensor> tensors(String prefix) {
    Path set = dir.resolve("test_data_set_0");
    List<HostTensor> out = new ArrayList<>();
    for (int i = 0; ; i++) {
      Path p = set.resolve(prefix + i + ".pb");
      if (!Files.exists(p)) return out;
      try {
        TensorProto t = TensorProto.parseFrom(Files.readAllBytes(p));
        if (t.getDataType() == 0) throw new UnsupportedOpException("test data " + p.getFileName() + " is not a plain tensor");
        out.add(OnnxTensors.fromProto(t));
      } catch (IOException e) {
        throw new UnsupportedOpException("test data " + p.getFileName() + " is not a TensorProto: " + e.getMessage());
      } catch (dev.kiln.spec.KilnException e) {
        if (e instanceof UnsupportedOpException) throw e;
        throw new UnsupportedOpException("test data " + p.getFileName() + ": " + e.getMessage());
      }
    }
  }

  @Override public String toString() { return folder + "/" + name; }
}
