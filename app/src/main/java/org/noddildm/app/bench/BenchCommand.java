package org.noddildm.app.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code noddi bench ...}: speed and memory measurements reported in docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure speed and memory (figures for docs/BENCHMARKS.md).",
    subcommands = {NiftiBench.class, MetricsBench.class, BenchFitCommand.class,
        QualityBench.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
