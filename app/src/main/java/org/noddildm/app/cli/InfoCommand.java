package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.MifReader;
import org.noddildm.core.io.NiftiHeader;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code noddi info}: what a NIfTI image (and its gradient table) holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print a NIfTI or MRtrix (.mif) image's dimensions, data type, voxel size, orientation, affine,"
        + " value range and, with a gradient table, its shells.")
public final class InfoCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE",
      description = "A .nii, .nii.gz, .mif or .mif.gz image.")
  Path file;

  @Option(names = "--bval", paramLabel = "FILE", description = "FSL b-values.")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE", description = "FSL b-vectors.")
  Path bvec;

  @Option(names = "--grad", paramLabel = "FILE", description = "MRtrix gradient table (x y z b).")
  Path grad;

  @Option(names = "--no-range", description = "Skip reading the voxels for the value range.")
  boolean noRange;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GradientTable table = readTable();
    if (MifReader.isMif(file)) {
      return mif(out, table);
    }
    try (NiftiReader r = NiftiReader.open(file)) {
      NiftiHeader h = r.header();
      Affine a = r.grid().affine();
      double[] vox = a.voxelSizes();
      out.printf(Locale.ROOT, "file         %s%n", file);
      out.printf(Locale.ROOT, "format       NIfTI-%d%s, %s-endian%n", h.version,
          r.isGzipped() ? " (gzipped)" : "", h.littleEndian ? "little" : "big");
      out.printf(Locale.ROOT, "dimensions   %s%n", dims(h));
      out.printf(Locale.ROOT, "data type    %s%s%n", h.datatype.label(), h.hasScaling()
          ? String.format(Locale.ROOT, " (scaled: slope %g, intercept %g)", h.sclSlope,
              h.sclInter) : "");
      out.printf(Locale.ROOT, "voxel size   %.4g x %.4g x %.4g %s%s%n", vox[0], vox[1], vox[2],
          h.spatialUnits(), h.dim[0] >= 4 && h.pixdim[4] != 0
              ? String.format(Locale.ROOT, ", TR %.4g %s", h.pixdim[4], h.timeUnits()) : "");
      out.printf(Locale.ROOT, "orientation  %s (%s, from the %s)%n", a.axisCodes(),
          a.determinant() < 0 ? "radiological storage, left-handed"
              : "neurological storage, right-handed", h.affineSource());
      out.printf(Locale.ROOT, "qform        %s%n", NiftiHeader.xformName(h.qformCode));
      out.printf(Locale.ROOT, "sform        %s%n", NiftiHeader.xformName(h.sformCode));
      out.println("affine");
      for (String line : a.toString().split("\n")) {
        out.println("  " + line);
      }
      if (!h.descrip.isEmpty()) {
        out.printf(Locale.ROOT, "description  %s%n", h.descrip);
      }
      if (h.intentCode != 0 || !h.intentName.isEmpty()) {
        out.printf(Locale.ROOT, "intent       code %d %s%n", h.intentCode, h.intentName);
      }
      if (!noRange) {
        printRange(out, r);
      }
      if (table != null) {
        table.requireVolumes(r.volumeCount());
        printTable(out, table);
      }
    }
    out.flush();
    return 0;
  }

  /** An MRtrix image: read whole; its dw_scheme is the table unless one is given. */
  private int mif(PrintWriter out, GradientTable given) throws Exception {
    MifReader.MifImage m = MifReader.read(file);
    Volume v = m.image().volume();
    Affine a = v.grid().affine();
    double[] vox = a.voxelSizes();
    out.printf(Locale.ROOT, "file         %s%n", file);
    out.printf(Locale.ROOT, "format       MRtrix image%s%n", file.toString().endsWith(".gz")
        ? " (gzipped)" : "");
    out.printf(Locale.ROOT, "dimensions   %d x %d x %d%s%n", v.nx(), v.ny(), v.nz(),
        v.nt() > 1 ? " x " + v.nt() : "");
    out.printf(Locale.ROOT, "voxel size   %.4g x %.4g x %.4g mm%n", vox[0], vox[1], vox[2]);
    out.printf(Locale.ROOT, "orientation  %s (%s)%n", a.axisCodes(), a.determinant() < 0
        ? "radiological storage, left-handed" : "neurological storage, right-handed");
    out.println("affine");
    for (String line : a.toString().split("\n")) {
      out.println("  " + line);
    }
    if (!noRange) {
      printRange(out, v);
    }
    GradientTable table = given != null ? given : m.dwScheme() == null ? null
        : GradientIO.fromScanner(m.dwScheme(), a, file);
    if (table != null) {
      table.requireVolumes(v.nt());
      printTable(out, table);
    }
    out.flush();
    return 0;
  }

  private static void printRange(PrintWriter out, Volume v) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    double sum = 0;
    long finite = 0;
    for (float f : v.data()) {
      if (Float.isFinite(f)) {
        lo = Math.min(lo, f);
        hi = Math.max(hi, f);
        sum += f;
        finite++;
      }
    }
    out.printf(Locale.ROOT, finite == 0 ? "values       no finite values%n"
        : "values       min %.6g, max %.6g, mean %.6g%n", lo, hi, sum / Math.max(1, finite));
    if (finite < v.data().length) {
      out.printf(Locale.ROOT, "non-finite   %d NaN or Inf values%n", v.data().length - finite);
    }
  }

  private GradientTable readTable() throws Exception {
    if (grad != null) {
      BadArgumentException.require(bval == null && bvec == null,
          "expected either --grad or --bval/--bvec, found both");
      return GradientIO.readMrtrix(grad);
    }
    if (bval == null && bvec == null) {
      return null;
    }
    BadArgumentException.require(bval != null && bvec != null,
        "expected both --bval and --bvec, found only " + (bval != null ? "--bval" : "--bvec"));
    return GradientIO.readFsl(bval, bvec);
  }

  private static String dims(NiftiHeader h) {
    StringBuilder sb = new StringBuilder();
    for (int d = 1; d <= h.dim[0]; d++) {
      sb.append(d > 1 ? " x " : "").append(h.dim[d]);
    }
    return sb.toString();
  }

  /** Streams volume by volume so that a large 4D file is never held whole. */
  private static void printRange(PrintWriter out, NiftiReader r) throws Exception {
    double[] lo = {Double.POSITIVE_INFINITY};
    double[] hi = {Double.NEGATIVE_INFINITY};
    double[] sum = {0};
    long[] finite = {0};
    long[] nonFinite = {0};
    r.forEachVolume((t, v) -> {
      for (float f : v.data()) {
        if (Float.isFinite(f)) {
          lo[0] = Math.min(lo[0], f);
          hi[0] = Math.max(hi[0], f);
          sum[0] += f;
          finite[0]++;
        } else {
          nonFinite[0]++;
        }
      }
    });
    if (finite[0] == 0) {
      out.println("values       no finite values");
    } else {
      out.printf(Locale.ROOT, "values       min %.6g, max %.6g, mean %.6g%n", lo[0], hi[0],
          sum[0] / finite[0]);
    }
    if (nonFinite[0] > 0) {
      out.printf(Locale.ROOT, "non-finite   %d NaN or Inf values%n", nonFinite[0]);
    }
  }

  private static void printTable(PrintWriter out, GradientTable t) {
    out.printf(Locale.ROOT, "gradients    %d volumes: %s%n", t.size(), t.summary());
    for (GradientTable.Shell s : t.shells()) {
      out.printf(Locale.ROOT, "  shell b=%-6.0f %3d directions%n", s.bvalue(), s.count());
    }
    for (String w : t.warnings()) {
      out.println("  warning: " + w);
    }
  }
}
