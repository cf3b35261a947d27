package org.noddildm.app.report;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.app.evaluate.Evaluation;
import org.noddildm.app.report.ReportPage;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.MapScores;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.metrics.TissueSummary;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The HTML report of predicted maps against a reference: scores per map and tissue, tri-planar
 * pictures, the optional comparison and uncertainty, and the viewer; what {@code noddi report} and
 * the demo write.
 */
public final class Report {
  private Report() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * One report page, as {@code noddi report}'s options give it (null or empty for an option not
   * given).
   */
  public record Request(Path pred, Path ref, Path compare, String predLabel,
      String compareLabel, List<Path> uncertainty, Path input, int inputVolume, Path mask,
      Path labels, double range, Path out, int[] slice, boolean radiological, boolean noViewer,
      int viewerImages) {
    /**
     * The page {@code noddi report} makes with its defaults from {@code pred} against
     * {@code ref} (with the input scan, brain mask and tissue labels), beside {@code compare}
     * when it is not null.
     */
    public static Request of(Path pred, String predLabel, Path compare, String compareLabel,
        List<Path> uncertainty, Path ref, Path input, Path mask, Path labels, Path out) {
      return new Request(pred, ref, compare, predLabel, compareLabel, uncertainty, input, 0,
          mask, labels, 1.0, out, null, false, false, 600);
    }
  }

  /** Writes the page {@code q} asks for, OUT/index.html, and says so on {@code w}. */
  public static void run(Request q, PrintWriter w) throws Exception {
    double range = q.range();
    Volume p = NiftiReader.read(q.pred()).volume();
    Volume r = NiftiReader.read(q.ref()).volume();
    Mask m = q.mask() == null ? null : BrainMasks.read(q.mask(), "the reference grid", r.grid());
    SsimOptions o = SsimOptions.defaults();
    List<MapScores> scores = MapEvaluation.evaluate(p, r, m, range, o);
    Volume c = q.compare() == null ? null : NiftiReader.read(q.compare()).volume();
    List<MapScores> compareScores = c == null ? List.of()
        : MapEvaluation.evaluate(c, r, m, range, o);
    List<List<TissueSummary>> tissues = new ArrayList<>();
    if (q.labels() != null) {
      Volume l = NiftiReader.read(q.labels()).volume();
      BadArgumentException.require(l.grid().sameAs(r.grid()), "--labels: expected the"
          + " reference grid " + r.grid().shape() + ", found " + l.grid().shape()
          + " or a different affine");
      for (int t = 0; t < r.nt(); t++) {
        tissues.add(TissueSummary.of(p, r, t, l, range));
      }
    }
    Volume in = q.input() == null ? null : NiftiReader.read(q.input()).volume();
    if (in != null && in.nt() != r.nt()) {
      BadArgumentException.require(q.inputVolume() >= 0 && q.inputVolume() < in.nt(),
          "--input-volume: expected 0.." + (in.nt() - 1) + ", found " + q.inputVolume());
    }
    BadArgumentException.require(q.viewerImages() >= 1,
        "--viewer-images: expected >= 1, found " + q.viewerImages());
    int[] voxel = q.slice() == null ? new int[] {r.nx() / 2, r.ny() / 2, r.nz() / 2}
        : q.slice();
    BadArgumentException.require(voxel.length == 3 && r.grid().contains(voxel[0], voxel[1],
        voxel[2]), "--slice: expected X,Y,Z inside " + r.grid().shape() + ", found "
            + java.util.Arrays.toString(voxel));
    Volume sd = q.uncertainty() == null || q.uncertainty().isEmpty() ? null
        : readUncertainty(q.uncertainty(), r);
    ReportPage.Inputs inputs = new ReportPage.Inputs(q.pred(), q.ref(), q.input(),
        q.inputVolume(), q.mask(), range, voxel, q.radiological(), !q.noViewer(),
        q.viewerImages(), q.compare(), q.predLabel(), q.compareLabel());
    String html = new ReportPage(inputs, p, r, in, scores, tissues,
        Evaluation.note(m, o), c, compareScores, sd).html();
    Files.createDirectories(q.out());
    Path page = q.out().resolve("index.html");
    AtomicFiles.writeString(page, html);
    w.printf("wrote %s (%d KiB)%n", page, html.length() / 1024);
    w.flush();
  }

  /** The --uncertainty maps as one volume with a map per reference volume, on its grid. */
  private static Volume readUncertainty(List<Path> files, Volume r)
      throws java.io.IOException {
    Volume[] parts = new Volume[files.size()];
    for (int k = 0; k < parts.length; k++) {
      parts[k] = NiftiReader.read(files.get(k)).volume();
      BadArgumentException.require(parts[k].grid().sameAs(r.grid()), "--uncertainty: expected"
          + " the reference grid " + r.grid().shape() + ", found " + parts[k].grid().shape()
          + " in " + files.get(k));
    }
    Volume sd = Volume.stack(parts);
    BadArgumentException.require(sd.nt() == r.nt(), "--uncertainty: expected " + r.nt()
        + " maps in all (one per reference volume), found " + sd.nt());
    return sd;
  }
}
