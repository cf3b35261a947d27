package org.noddildm.app.validate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.app.options.GradientOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where the high-resolution scans of {@code validate} and {@code finetune} come from: a BIDS
 * dataset (with a participant filter) or {@code --dwi} files with their gradients; one picocli
 * mixin for both commands.
 */
public final class HighResScans {
  @Parameters(index = "0", arity = "0..1", paramLabel = "BIDS_DIR",
      description = "A BIDS dataset of high-resolution DWI (every dwi run is used).")
  Path bidsDir;

  @Option(names = "--dwi", paramLabel = "FILE", description = "A high-resolution DWI instead"
      + " of a dataset (repeatable; its .bval/.bvec beside it).")
  List<Path> dwis = new ArrayList<>();

  @Mixin
  GradientOptions gradients;

  @Option(names = {"--participant-label", "--participant_label"}, split = ",",
      paramLabel = "LABEL", description = "Only these participants of BIDS_DIR.")
  List<String> participants;

  /** The scans, with distinct names. */
  public List<ScanInputs> find() throws IOException {
    return ScanInputs.find(bidsDir, participants, dwis, gradients.bval(), gradients.bvec());
  }

  /** True when the input is one {@code --dwi} file. */
  public boolean singleFile() {
    return dwis.size() == 1 && bidsDir == null;
  }

  /** The gradient options of {@code --dwi} files. */
  public GradientOptions gradients() {
    return gradients;
  }
}
