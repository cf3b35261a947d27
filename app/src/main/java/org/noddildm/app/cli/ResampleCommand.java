package org.noddildm.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code noddi resample}: trilinear resampling onto the grid of a reference image, through world
 * coordinates, e.g. to bring maps fitted on a low-resolution scan to the high-resolution grid
 * (the classic baseline). Several inputs are stacked in order into one 4D output.
 */
@Command(name = "resample", mixinStandardHelpOptions = true,
    description = "Resample images (trilinear, via world coordinates) onto the grid of a"
        + " reference; several inputs are stacked into one 4D file.")
public final class ResampleCommand implements Callable<Integer> {
  @Option(names = "--in", required = true, split = ",", paramLabel = "FILE",
      description = "Input image(s), 3D or 4D; repeat or separate with commas to stack.")
  List<Path> inputs;

  @Option(names = "--like", required = true, paramLabel = "FILE",
      description = "Reference image whose grid and affine the output takes.")
  Path like;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output image.")
  Path out;

  @Option(names = "--outside", defaultValue = "0",
      description = "Value beyond the input's field of view (default: ${DEFAULT-VALUE}).")
  float outside;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    spec.commandLine().getOut().println("wrote " + out + " ("
        + resample(inputs, like, out, outside).shape() + ")");
    return 0;
  }

  /**
   * Resamples {@code inputs} trilinearly onto the grid of {@code like}, stacks them into one
   * image written to {@code out} with the first input's header, and returns it.
   */
  static Volume resample(List<Path> inputs, Path like, Path out, float outside)
      throws java.io.IOException {
    List<Path> in = new ArrayList<>(inputs);
    in.add(like);
    OutputGuard.requireNoneIsInput(List.of(out), in);
    Grid target;
    try (NiftiReader r = NiftiReader.open(like)) {
      target = r.grid();
    }
    List<Volume> parts = new ArrayList<>();
    NiftiImage first = null;
    for (Path p : inputs) {
      NiftiImage img = NiftiReader.read(p);
      first = first == null ? img : first;
      parts.add(VolumeOps.resampleTrilinear(img.volume(), target, outside));
    }
    Volume result = Volume.stack(parts.toArray(new Volume[0]));
    NiftiWriter.write(out, result, NiftiWriter.Options.defaults()
        .withReference(first.header()).withDescription("noddi resample (trilinear)"));
    return result;
  }
}
