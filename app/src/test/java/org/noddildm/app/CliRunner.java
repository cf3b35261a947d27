package org.noddildm.app;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the noddi CLI in-process and captures its output, for tests. */
public final class CliRunner {
  /** Exit code and the text written to stdout and stderr. */
  public record Result(int exitCode, String out, String err) {}

  private CliRunner() {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
