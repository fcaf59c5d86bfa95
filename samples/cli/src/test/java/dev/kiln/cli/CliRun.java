package dev.kiln.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the {@code kiln} command line, with what it printed. */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    CommandLine cl = KilnCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The error output's lines. */
  String[] errLines() { return err.isEmpty() ? new String[0] : err.split("\n"); }
}
