package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.app.view.Colormap;
import org.noddildm.app.view.MontageFigure;
import org.noddildm.app.view.Plane;
import org.noddildm.app.view.SliceImages;
import org.noddildm.app.view.TriPlanarFigure;
import org.noddildm.app.view.ViewSettings;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code noddi view}: a tri-planar PNG of a NIfTI volume, or a montage of a 4D image. */
@Command(name = "view", mixinStandardHelpOptions = true,
    description = "Draw axial, coronal and sagittal slices of a NIfTI image into a PNG, oriented"
        + " by its affine, with a colour bar and the display convention on the picture.")
public final class ViewCommand implements Callable<Integer> {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Parameters(index = "0", paramLabel = "FILE", description = "A .nii or .nii.gz image.")
  Path file;

  @Option(names = "--out", paramLabel = "PNG", defaultValue = "view.png",
      description = "Output picture (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--volume", paramLabel = "K", defaultValue = "0",
      description = "Volume of a 4D image to show (default: ${DEFAULT-VALUE}).")
  int volume;

  @Option(names = "--slice", paramLabel = "X,Y,Z", split = ",", hideParamSyntax = true,
      description = "Voxel the three planes go through (default: the centre).")
  int[] slice;

  @Option(names = "--colormap", paramLabel = "NAME", defaultValue = "viridis",
      description = "viridis or gray (default: ${DEFAULT-VALUE}).")
  String colormap;

  @Option(names = "--display-range", paramLabel = "LO,HI", split = ",", hideParamSyntax = true,
      description = "Values at the ends of the colour scale (default: minimum to the 99.5th"
          + " percentile of the shown volumes).")
  double[] range;

  @Option(names = "--radiological",
      description = "Patient's right on the left of the picture (default: neurological, left"
          + " on the left).")
  boolean radiological;

  @Option(names = "--montage", description = "Show every volume of a 4D image in one plane.")
  boolean montage;

  @Option(names = "--plane", paramLabel = "PLANE", defaultValue = "axial",
      description = "Plane of the montage: axial, coronal or sagittal (default: ${DEFAULT-VALUE}).")
  Plane plane;

  @Option(names = "--bval", paramLabel = "FILE",
      description = "FSL b-values (with --bvec) to caption the montage tiles.")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE", description = "FSL b-vectors.")
  Path bvec;

  @Option(names = "--panel-px", paramLabel = "PX", defaultValue = "256",
      description = "Pixels of the longest panel side (default: ${DEFAULT-VALUE}).")
  int size;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Volume v = NiftiReader.read(file).volume();
    int[] voxel = slice == null ? new int[] {v.nx() / 2, v.ny() / 2, v.nz() / 2} : slice;
    BadArgumentException.require(voxel.length == 3,
        "--slice: expected X,Y,Z, found " + voxel.length + " numbers");
    BadArgumentException.require(v.grid().contains(voxel[0], voxel[1], voxel[2]),
        "--slice: expected a voxel inside " + v.grid().shape() + ", found " + voxel[0] + ","
            + voxel[1] + "," + voxel[2]);
    BadArgumentException.require(volume >= 0 && volume < v.nt(),
        "--volume: expected 0.." + (v.nt() - 1) + ", found " + volume);
    Volume shown = montage ? v : v.volume(volume);
    double[] r = range;
    if (r == null) {
      r = SliceImages.robustRange(shown.data());
    }
    BadArgumentException.require(r.length == 2, "--range: expected LO,HI, found " + r.length
        + " numbers");
    ViewSettings s = new ViewSettings(Colormap.parse(colormap), r[0], r[1], radiological, size);
    String title = file.getFileName().toString();
    var img = montage
        ? MontageFigure.render(v, plane, voxel, s, title, captions(v.nt()))
        : TriPlanarFigure.render(v, volume, voxel, s, title);
    AtomicFiles.writeBytes(out, SliceImages.png(img));
    PrintWriter w = spec.commandLine().getOut();
    w.printf("wrote %s (%d x %d px, %s, range %s..%s)%n", out, img.getWidth(), img.getHeight(),
        s.conventionText(), SliceImages.number(s.lo()), SliceImages.number(s.hi()));
    w.flush();
    return 0;
  }

  private String[] captions(int nt) throws Exception {
    if (bval == null) {
      return null;
    }
    BadArgumentException.require(bvec != null, "--bval: expected --bvec too, found only --bval");
    GradientTable g = GradientIO.readFsl(bval, bvec);
    g.requireVolumes(nt);
    String[] out = new String[nt];
    for (int t = 0; t < nt; t++) {
      out[t] = t + "  b=" + Math.round(g.bval(t));
    }
    return out;
  }
}
