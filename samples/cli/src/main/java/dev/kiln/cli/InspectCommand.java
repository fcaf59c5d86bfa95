package dev.kiln.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln inspect MODEL.onnx}: what a model file holds, without running it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show an ONNX model's producer, opsets, inputs, outputs, op counts, parameter size and metadata,\n"
        + "and which of its ops Kiln can import and differentiate. Exits 2 when the model cannot be imported.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
  Path model;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    var proto = OnnxFile.read(model);
    ImportSupport.Verdict verdict = ImportSupport.of(proto, model.toAbsolutePath().getParent());
    String report = ModelReport.of(proto) + verdict.text();
    var out = spec.commandLine().getOut();
    out.println("model: " + model);
    out.print(report);
    out.flush();
    // NOTE: a readable model that Kiln cannot import is bad input for Kiln: the report is printed, the status says so.
    return verdict.importable() ? 0 : KilnCli.EXIT_USER_ERROR;
  }
}
