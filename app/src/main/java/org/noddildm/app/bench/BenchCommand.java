package org.noddildm.app.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code noddi dev bench ...}: speed and memory measurements reported in docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure speed and memory (figures for docs/BENCHMARKS.md).",
    subcommands = {NiftiBench.class, MetricsBench.class, BenchFitCommand.class,
        QualityBench.class, LatentBench.class, DenoiserBench.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Bare {@code noddi dev bench}: a usage error (exit 2), naming the benchmarks. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "expected a benchmark ("
        + String.join(", ", spec.commandLine().getSubcommands().keySet()) + "), found none");
  }
}
