package org.noddildm.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.noddildm.app.bids.BidsCommand;
import org.noddildm.app.cli.CalibrateCommand;
import org.noddildm.app.cli.DegradeCommand;
import org.noddildm.app.cli.DemoCommand;
import org.noddildm.app.cli.DevCommand;
import org.noddildm.app.cli.EvaluateCommand;
import org.noddildm.app.cli.FinetuneCommand;
import org.noddildm.app.cli.FitCommand;
import org.noddildm.app.cli.InfoCommand;
import org.noddildm.app.cli.PredictCommand;
import org.noddildm.app.cli.QcReportCommand;
import org.noddildm.app.cli.ReportCommand;
import org.noddildm.app.cli.ResampleCommand;
import org.noddildm.app.cli.SimulateCommand;
import org.noddildm.app.cli.TrainCommand;
import org.noddildm.app.cli.TrainRefinerCommand;
import org.noddildm.app.cli.TrainResidualLdmCommand;
import org.noddildm.app.cli.TrainVqganCommand;
import org.noddildm.app.cli.ValidateCommand;
import org.noddildm.app.cli.ViewCommand;
import org.noddildm.app.console.Progress;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.core.NoddiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code noddi} command: one subcommand per job. */
@Command(
    name = "noddi",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "High-resolution NODDI maps (NDI, ODI, FWF) from short low-resolution diffusion"
        + " MRI.",
    subcommands = {
      // look at data and make it
      InfoCommand.class,
      SimulateCommand.class,
      DegradeCommand.class,
      ResampleCommand.class,
      // maps from a scan, and how good they are
      FitCommand.class,
      PredictCommand.class,
      EvaluateCommand.class,
      ReportCommand.class,
      QcReportCommand.class,
      ViewCommand.class,
      DemoCommand.class,
      // a whole BIDS dataset
      BidsCommand.class,
      // a model on one's own scanner
      ValidateCommand.class,
      FinetuneCommand.class,
      CalibrateCommand.class,
      // training
      TrainCommand.class,
      TrainRefinerCommand.class,
      TrainVqganCommand.class,
      TrainResidualLdmCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class,
      DevCommand.class
    })
public final class Main implements Runnable {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  /** {@code --no-progress} on any command: no progress bars (for logs and batch jobs). */
  @Option(names = "--no-progress", scope = CommandLine.ScopeType.INHERIT,
      description = "Do not draw progress bars.")
  void noProgress(boolean value) {
    Progress.setOff(value);
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Bare {@code noddi}: a usage error (exit 2), naming the commands. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "expected a command ("
        + String.join(", ", spec.commandLine().getSubcommands().keySet()) + "), found none");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code: 0 success, 1 error, 2 bad usage. */
  public static int run(String... args) {
    CommandLine cl = newCommandLine();
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // picocli hands only Exceptions to the handler; an Error would end in a stack trace
      cl.getErr().println("noddi: error: " + message(e));
      cl.getErr().flush();
      return 1;
    } finally {
      Progress.setOff(false);
    }
  }

  /** The configured command line, also used by tests to capture output. */
  public static CommandLine newCommandLine() {
    Progress.setOff(false); // bars are on unless this run's --no-progress turns them off
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handleError);
    cl.setParameterExceptionHandler(Main::handleUsage);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    org.noddildm.core.io.NiftiReader.setWarningSink(w -> {
      cl.getErr().println("noddi: warning: " + w);
      cl.getErr().flush();
    });
    return cl;
  }

  /**
   * A wrong command line: one line saying what was expected and what was found, and where the
   * help is, instead of the whole help text; exit code 2.
   */
  private static int handleUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String path = cl.getCommandSpec().qualifiedName(" ");
    err.println(path + ": " + e.getMessage() + " (see '" + path + " --help')");
    err.flush();
    return 2;
  }

  private static int handleError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean verbose = false;
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      verbose |= p.hasMatchedOption("--verbose");
    }
    err.println("noddi: error: " + message(e));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  /** One line for an error: our own messages as they are, common I/O errors in plain words. */
  static String message(Throwable e) {
    Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof NoddiException) {
      return t.getMessage();
    }
    if (t instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file";
    }
    if (t instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (t instanceof IOException) {
      return t.getMessage() == null ? t.toString() : t.getMessage();
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory: give Java more with JAVA_OPTS=-Xmx16g, or read less at once";
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + " (an internal error; run with --verbose and report it)";
  }

  /**
   * The version, the git commit the jar was built from and the id of the model it ships
   * (SHA-256 of its files), so that a result can be traced to code and weights.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      BuildInfo b = BuildInfo.current();
      ModelIdentity m = ModelIdentity.shipped();
      return new String[] {
        "noddi-ldm " + b.version(),
        "commit " + b.commitText(),
        "shipped model " + (m == null ? "none in this build" : m.id()),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor")
            + "), " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
      };
    }
  }
}
