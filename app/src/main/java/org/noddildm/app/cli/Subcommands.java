package org.noddildm.app.cli;

import java.io.PrintWriter;
import org.noddildm.app.Main;
import picocli.CommandLine;

/**
 * Runs other noddi subcommands from inside a command that chains them (demo, train, bench
 * quality), sharing its output streams, so that each step prints and fails exactly as when run
 * by hand.
 */
public final class Subcommands {
  private Subcommands() {}

  /** Runs {@code noddi args...} and returns its exit code; its own error line is printed. */
  public static int run(CommandLine.Model.CommandSpec spec, String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(spec.commandLine().getOut());
    cl.setErr(spec.commandLine().getErr());
    return cl.execute(args);
  }

  /** Prints the "[k/n] what" header of a step. */
  static void header(PrintWriter o, int k, int n, String what) {
    o.printf("%n[%d/%d] %s%n", k, n, what);
    o.flush();
  }
}
