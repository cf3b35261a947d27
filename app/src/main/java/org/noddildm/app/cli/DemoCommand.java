package org.noddildm.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi demo}: the README's main job on built-in example data. For now it writes a small
 * synthetic DWI (an ellipsoid of anisotropic tissue in an LAS-stored grid) with its gradient
 * table and shows what {@code noddi info} reads back; the full pipeline replaces it once the
 * phantom, fitting and model are in.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job on built-in example data.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "noddi-demo",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    GradientTable g = GradientTable.of(
        new double[] {0, 1000, 1000, 1000, 2000, 2000, 2000},
        new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}, {0, 0.6, 0.8},
            {0.8, 0, 0.6}});
    Grid grid = new Grid(24, 28, 20,
        Affine.of(new double[][] {{-2, 0, 0, 23}, {0, 2, 0, -27}, {0, 0, 2, -19}}));
    Volume v = Volume.zeros(grid, g.size());
    for (int z = 0; z < grid.nz(); z++) {
      for (int y = 0; y < grid.ny(); y++) {
        for (int x = 0; x < grid.nx(); x++) {
          double[] w = grid.affine().apply(x, y, z);
          double r = Math.pow(w[0] / 20, 2) + Math.pow(w[1] / 25, 2) + Math.pow(w[2] / 17, 2);
          if (r > 1) {
            continue;
          }
          for (int t = 0; t < g.size(); t++) {
            double[] d = g.bvec(t);
            // A tensor along x (1.7e-3) with radial 0.4e-3 mm^2/s: a white-matter-like voxel.
            double adc = 1.7e-3 * d[0] * d[0] + 0.4e-3 * (d[1] * d[1] + d[2] * d[2]);
            v.set(x, y, z, t, (float) (1000 * Math.exp(-g.bval(t) * adc)));
          }
        }
      }
    }
    Path dwi = out.resolve("example_dwi.nii.gz");
    NiftiWriter.write(dwi, v, NiftiWriter.Options.defaults()
        .withDescription("noddi-ldm synthetic example"));
    GradientIO.writeFsl(g, out.resolve("example_dwi.bval"), out.resolve("example_dwi.bvec"));
    spec.commandLine().getOut().println("wrote " + dwi + " (+ .bval/.bvec); noddi info:");
    return new CommandLine(new InfoCommand()).setOut(spec.commandLine().getOut()).execute(
        dwi.toString(), "--bval", out.resolve("example_dwi.bval").toString(),
        "--bvec", out.resolve("example_dwi.bvec").toString());
  }
}
