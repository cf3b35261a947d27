package org.noddildm.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code noddi bench}: measurements for docs/BENCHMARKS.md, one subcommand per component. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (accuracy and speed) whose numbers go to docs/BENCHMARKS.md.",
    subcommands = {BenchFitCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
