package dev.kiln.cli;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.runtime.io.Npy;
import dev.kiln.runtime.tf.TfModel;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln run MODEL.onnx --input NAME=FILE.npy ... --output DIR}: runs a model in ONNX Runtime. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run an ONNX model on .npy inputs: in ONNX Runtime (CPU), or imported into Kiln and run on TensorFlow or re-exported.",
        "Each output is printed (name, dtype, shape) and, with --output, saved as DIR/<name>.npy."})
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
  Path model;

  @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy",
      description = "A model input and the .npy file holding it; repeat for each input.")
  Map<String, Path> inputs = new LinkedHashMap<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to write each output to as <name>.npy.")
  Path outputDir;

  @Option(names = {"-e", "--engine"}, paramLabel = "ENGINE", defaultValue = "onnxruntime",
      description = "onnxruntime (the file as is), tensorflow (imported into Kiln, run on TensorFlow-Java) or roundtrip "
          + "(imported, exported again by Kiln, run in ONNX Runtime). Default: ${DEFAULT-VALUE}.")
  String engine;

  @Option(names = "--timings", description = "Print the load time, first-run time and peak resident memory (VmHWM) "
      + "to stderr, as one 'timings:' line (scripts/bench-import collects them).")
  boolean timings;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    RunTimings clock = new RunTimings();
    OnnxFile.read(model); // one clear message for a truncated or non-ONNX file before ONNX Runtime sees it
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    inputs.forEach((name, file) -> feed.put(name, Npy.read(file)));
    if (outputDir != null && Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
      throw new KilnException(outputDir + ": --output must be a folder, and this is a file");
    }
    Map<String, HostTensor> results = switch (engine) {
      case "onnxruntime" -> {
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
          clock.loaded();
          yield m.run(feed);
        }
      }
      case "tensorflow" -> {
        try (TfModel m = TfModel.load(OnnxImporter.importFile(model, ImportOptions.defaults()))) {
          clock.loaded();
          yield m.run(feed);
        }
      }
      case "roundtrip" -> {
        byte[] bytes = OnnxExporter.export(OnnxImporter.importFile(model, ImportOptions.defaults())).toByteArray();
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(bytes)) {
          clock.loaded();
          yield m.run(feed);
        }
      }
      default -> throw new KilnException("--engine must be onnxruntime, tensorflow or roundtrip, got '" + engine + "'");
    };
    clock.ran();
    if (timings) clock.print(spec.commandLine().getErr(), engine);
    Map<String, Path> files = outputDir == null ? Map.of() : OutputFiles.assign(outputDir, results.keySet());
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, HostTensor> e : results.entrySet()) {
      HostTensor t = e.getValue();
      Path file = files.get(e.getKey());
      if (file != null) Npy.write(file, t);
      out.println(e.getKey() + ": " + t.dtype() + Arrays.toString(t.shape()) + (file == null ? "" : " -> " + file));
    }
    out.flush();
    return 0;
  }
}
