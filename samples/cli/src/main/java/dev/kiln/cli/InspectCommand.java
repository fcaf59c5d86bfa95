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
        + "and which of its ops Kiln can import and differentiate.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
  Path model;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    var proto = OnnxFile.read(model);
    String report = ModelReport.of(proto) + ImportSupport.of(proto, model.toAbsolutePath().getParent());
    var out = spec.commandLine().getOut();
    out.println("model: " + model);
    out.print(report);
    out.flush();
    return 0;
  }
}
