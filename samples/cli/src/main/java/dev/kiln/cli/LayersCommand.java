package dev.kiln.cli;

import dev.kiln.dsl.Model;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.transfer.CutPoints;
import dev.kiln.interop.transfer.Transfer;
import dev.kiln.samples.Samples;
import dev.kiln.spec.ir.Graph;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln layers MODEL}: the values a model can be cut at for transfer learning, nearest the output first. */
@Command(name = "layers", mixinStandardHelpOptions = true,
    description = {"List where a model can be cut for transfer learning (Transfer.cutAt), nearest the output first:",
        "value name, the op that makes it, its type, and how many nodes lie between it and the output.",
        "MODEL is an ONNX file or the name of a sample model (kiln export --list)."})
final class LayersCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "An .onnx file or a sample model's name.")
  String model;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "30", description = "Show the N nearest the output (0: all; default ${DEFAULT-VALUE}).")
  int limit;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    Graph g = model.endsWith(".onnx") ? OnnxImporter.importFile(Path.of(model), ImportOptions.defaults())
        : Samples.get(model).build().apply(Model.DEFAULT_SEED).graph();
    List<CutPoints.CutPoint> all = Transfer.candidates(g);
    var out = spec.commandLine().getOut();
    out.printf("%-40s %-22s %-30s %s%n", "value", "op", "type", "nodes to output");
    int shown = limit <= 0 ? all.size() : Math.min(limit, all.size());
    for (CutPoints.CutPoint p : all.subList(0, shown)) {
      out.printf("%-40s %-22s %-30s %d%n", p.name(), p.op(), p.type(), p.fromOutput());
    }
    if (shown < all.size()) out.println("... " + (all.size() - shown) + " more (--limit 0 shows all)");
    out.flush();
    return 0;
  }
}
