package dev.kiln.cli;

import dev.kiln.spec.Kiln;
import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code kiln} command: inspect, run and export ONNX models. Errors in what the user gave
 * (files, names, shapes) print one line {@code kiln: error: ...} and exit {@value #EXIT_USER_ERROR};
 * internal failures exit {@value #EXIT_INTERNAL_ERROR}; {@code --verbose} adds the stack trace.
 */
@Command(name = "kiln", mixinStandardHelpOptions = true, versionProvider = KilnCli.Version.class,
    description = "Neural networks as JVM code: train the demo, inspect, import, run and export ONNX models; list PyTorch and safetensors weights.",
    subcommands = {DemoCommand.class, TrainCommand.class, InspectCommand.class, ImportCommand.class, RunCommand.class,
        ExportCommand.class, ExportTrainingCommand.class, WeightsCommand.class, BenchCommand.class, ResNetDemoCommand.class,
        DoctorCommand.class, LayersCommand.class, ScoreCommand.class,
        CommandLine.HelpCommand.class})
public final class KilnCli implements java.util.concurrent.Callable<Integer> {
  /** Exit status for bad input: a missing or malformed file, a wrong input name, dtype or shape. */
  public static final int EXIT_USER_ERROR = 2;
  /** Exit status for a bug or an unexpected failure inside Kiln. */
  public static final int EXIT_INTERNAL_ERROR = 1;

  boolean verbose;

  /**
   * {@code --verbose}: stack traces with errors, and TensorFlow's native log lines, which Kiln hides by default
   * (TfNativeLogs). Set while parsing, so the property is in place before a command loads TensorFlow.
   */
  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Print stack traces with errors and TensorFlow's native log lines.")
  void verbose(boolean on) {
    verbose = on;
    if (on) System.setProperty("kiln.tf.logs", "verbose");
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its status. */
  public static void main(String[] args) { System.exit(commandLine().execute(args)); }

  /** A configured command line; tests call {@code execute} on it with their own out/err writers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KilnCli());
    cl.setExecutionExceptionHandler(KilnCli::onExecutionError);
    cl.setExecutionStrategy(KilnCli::executeGuarded);
    cl.setParameterExceptionHandler(KilnCli::onParameterError);
    return cl;
  }

  @Override public Integer call() {
    // "kiln" alone names no command: show what it can do, as an error so scripts notice.
    spec.commandLine().getErr().println("kiln: error: no command given");
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USER_ERROR;
  }

  private static int onExecutionError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean user = e instanceof KilnException || e instanceof IOException || e instanceof UncheckedIOException;
    String msg = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    // NOTE: one line: messages that span lines (lists of problems) are joined so scripts can grep them.
    msg = msg.strip().replaceAll("\\s*\\n\\s*", "; ");
    err.println(user ? "kiln: error: " + msg : "kiln: internal error: " + e.getClass().getName() + ": " + msg);
    if (verbose(parsed)) e.printStackTrace(err);
    else if (!user) err.println("kiln: rerun with --verbose for the stack trace and please report it");
    err.flush();
    return user ? EXIT_USER_ERROR : EXIT_INTERNAL_ERROR;
  }

  /**
   * Runs the command; a JVM error (stack or memory exhausted) is a Kiln bug, since readers bound what files can
   * make them do: one line and exit {@value #EXIT_INTERNAL_ERROR}, not a raw stack trace.
   */
  private static int executeGuarded(ParseResult parsed) {
    try {
      return new CommandLine.RunLast().execute(parsed);
    } catch (StackOverflowError | OutOfMemoryError e) {
      PrintWriter err = parsed.commandSpec().commandLine().getErr();
      err.println("kiln: internal error: " + e.getClass().getSimpleName() + " (Kiln ran out of " + (e instanceof StackOverflowError ? "stack" : "memory")
          + "); please report it with the input that caused it");
      if (verbose(parsed)) e.printStackTrace(err);
      err.flush();
      return EXIT_INTERNAL_ERROR;
    }
  }

  private static int onParameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("kiln: error: " + e.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return EXIT_USER_ERROR;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) return true;
    }
    return false;
  }

  /** The version picocli prints for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      return new String[] {"kiln " + Kiln.VERSION, "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
