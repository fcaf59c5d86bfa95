package dev.kiln.samples.cli;

import dev.kiln.runtime.io.Npy;
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
    description = {"Run an ONNX model in ONNX Runtime (CPU) on .npy inputs.",
        "Each output is printed (name, dtype, shape) and, with --output, saved as DIR/<name>.npy."})
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
  Path model;

  @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy",
      description = "A model input and the .npy file holding it; repeat for each input.")
  Map<String, Path> inputs = new LinkedHashMap<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Folder to write each output to as <name>.npy.")
  Path outputDir;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    OnnxFile.read(model); // one clear message for a truncated or non-ONNX file before ONNX Runtime sees it
    Map<String, HostTensor> feed = new LinkedHashMap<>();
    inputs.forEach((name, file) -> feed.put(name, Npy.read(file)));
    if (outputDir != null && Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
      throw new KilnException(outputDir + ": --output must be a folder, and this is a file");
    }
    Map<String, HostTensor> results;
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      results = m.run(feed);
    }
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
