package org.noddildm.app.cli;

import java.nio.file.Path;
import org.noddildm.core.io.GradientIO;
import picocli.CommandLine.Option;

/**
 * {@code --bval} and {@code --bvec}, which default to the FSL files beside the DWI: one picocli
 * mixin for every command that reads a scan ({@code fit}, {@code predict}, {@code qc-report}).
 */
public final class GradientOptions {
  @Option(names = "--bval", paramLabel = "FILE",
      description = "FSL b-values (default: X.bval beside X.nii[.gz]).")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE",
      description = "FSL b-vectors (default: X.bvec beside X.nii[.gz]).")
  Path bvec;

  /** The b-values and b-vectors files of {@code dwi}: those given, else those beside it. */
  public Path[] resolve(Path dwi) {
    return GradientIO.fslPairFor(dwi, bval, bvec);
  }
}
