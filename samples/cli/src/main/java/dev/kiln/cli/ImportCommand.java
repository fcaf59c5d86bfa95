package dev.kiln.cli;

import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.spec.ir.Graph;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kiln import MODEL.onnx [--print-ir]}: imports an ONNX model into Kiln's IR. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import an ONNX model into Kiln's IR and summarise it (or print the IR with --print-ir).",
        "A model with ops Kiln cannot import is refused with one error listing them."})
final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
  Path model;

  @Option(names = "--print-ir", description = "Print the imported IR graph as text.")
  boolean printIr;

  @Option(names = "--trainable", paramLabel = "REGEX", description = "Initializers whose name matches become trainable parameters.")
  String trainable;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    ImportOptions opts = trainable == null ? ImportOptions.defaults() : ImportOptions.defaults().trainable(trainable);
    Graph g = OnnxImporter.importFile(model, opts);
    var out = spec.commandLine().getOut();
    if (printIr) {
      out.print(g.toText());
    } else {
      out.println("imported " + model + ": graph " + g.name() + ", " + g.inputs().size() + " inputs, " + g.outputs().size()
          + " outputs, " + g.nodes().size() + " nodes, " + g.parameters().size() + " parameters (" + g.parameterCount() + " values, "
          + g.parameters().stream().filter(p -> p.trainable()).count() + " trainable)");
    }
    out.flush();
    return 0;
  }
}
