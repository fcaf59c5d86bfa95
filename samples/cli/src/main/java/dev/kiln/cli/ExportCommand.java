package dev.kiln.cli;

import dev.kiln.compiler.onnx.ExportOptions;
import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.samples.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln export SAMPLE --output FILE.onnx}: writes one of the sample models as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a sample model to an ONNX file.")
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SAMPLE", completionCandidates = Samples.Names.class,
      description = "The sample model: ${COMPLETION-CANDIDATES}.")
  String sample;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.onnx", description = "Where to write the model.")
  Path output;

  @Option(names = "--opset", paramLabel = "N", description = "ONNX opset to target (default: ${DEFAULT-VALUE}).")
  int opset = ExportOptions.DEFAULT_OPSET;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for the initial parameter values (default: ${DEFAULT-VALUE}).")
  long seed = Model.DEFAULT_SEED;

  @Spec CommandSpec spec;

  @Override public Integer call() throws IOException {
    Samples.Sample s = Samples.get(sample);
    ExportOptions opts = ExportOptions.defaults().opset(opset);
    Model m = s.build().apply(seed);
    OnnxExporter.write(m.graph(), opts, output);
    spec.commandLine().getOut().println("wrote " + output + ": sample " + s.name() + " (" + s.description() + "), opset "
        + opts.opset() + ", seed " + seed);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
