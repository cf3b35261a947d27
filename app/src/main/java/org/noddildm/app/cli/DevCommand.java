package org.noddildm.app.cli;

import org.noddildm.app.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code noddi dev}: the commands of the people who build and ship the models, hidden from the
 * main help: the benchmarks, the white-noise check of training losses, the scan-conditioned
 * diffusion model of the original design, exporting a model folder, and the man pages.
 */
@Command(name = "dev", hidden = true, mixinStandardHelpOptions = true,
    description = "Developer commands: benchmarks, the noise check, the scan-conditioned"
        + " diffusion model, model export and man pages.",
    subcommands = {BenchCommand.class, CheckNoiseCommand.class, TrainLdmCommand.class,
        ExportModelCommand.class, ManPageCommand.class})
public final class DevCommand implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Bare {@code noddi dev}: a usage error naming its commands. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "expected a command ("
        + String.join(", ", spec.commandLine().getSubcommands().keySet()) + "), found none");
  }
}
