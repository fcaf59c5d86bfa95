package dev.kiln.cli;

import ai.onnxruntime.OrtEnvironment;
import dev.kiln.runtime.Cpu;
import dev.kiln.runtime.onnx.OrtSelfCheck;
import dev.kiln.runtime.tf.ConvSweepReport;
import dev.kiln.runtime.tf.OneDnn;
import dev.kiln.runtime.tf.TfNativeLogs;
import dev.kiln.runtime.tf.TfKernelGuard;
import dev.kiln.runtime.tf.TfSelfCheck;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kiln doctor}: whether the back ends' convolution kernels give right answers on this CPU, with
 * the settings this process runs under. {@code --sweep} runs the full kernel sweep in one child process
 * per oneDNN configuration (about a minute and a half on 2 cores) and prints a Markdown table.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check TensorFlow's and ONNX Runtime's convolution kernels on this CPU against known answers.\n"
        + "Names the CPU, the oneDNN settings, each wrong kernel and what Kiln does about it.")
final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--sweep", description = "Also sweep every TF convolution kernel form at each oneDNN ISA (slow).")
  boolean sweep;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "Per oneDNN configuration of the sweep (default ${DEFAULT-VALUE}).")
  long timeout;

  @Spec CommandSpec spec;

  @Override public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("CPU:          " + Cpu.describe());
    out.println("oneDNN:       " + OneDnn.status());
    out.println("TF logs:      " + TfNativeLogs.status());
    TfSelfCheck.Report tf = TfSelfCheck.runNow();
    out.printf("TensorFlow:   %s, %d known-answer cases in %.0f ms: %s%n", org.tensorflow.TensorFlow.version(),
        TfSelfCheck.size(), tf.millis(), tf.clean() ? "all right" : tf.failed().size() + " wrong");
    for (String f : tf.failed()) out.println("  wrong: " + f);
    TfKernelGuard.distrusted().keySet().forEach(op -> out.println("  rerouted through f64 from now on: " + op));
    for (String f : tf.stillWrong()) out.println("  still wrong in f64: " + f);
    OrtSelfCheck.Report ort = OrtSelfCheck.runNow();
    out.printf("ONNX Runtime: %s, %d known-answer cases in %.0f ms: %s%n", OrtEnvironment.getEnvironment().getVersion(),
        OrtSelfCheck.size(), ort.millis(), ort.clean() ? "all right" : ort.failed().size() + " wrong");
    for (String f : ort.failed()) out.println("  wrong: " + f);
    if (!ort.clean()) {
      out.println(ort.failedUnoptimised().isEmpty() ? "  right with graph optimisations off: Kiln's sessions run unoptimised"
          : "  still wrong with graph optimisations off: " + ort.failedUnoptimised());
    }
    out.flush();
    if (sweep) {
      out.println();
      out.println("Sweep (one child JVM per oneDNN configuration):");
      out.flush();
      out.print(ConvSweepReport.run(timeout));
    }
    out.flush();
    return 0;
  }
}
