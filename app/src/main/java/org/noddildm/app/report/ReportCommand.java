package org.noddildm.app.report;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.noddildm.app.cli.EvaluateCommand;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.MapScores;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.metrics.TissueSummary;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi report}: a self-contained HTML page comparing predicted and reference maps. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write DIR/index.html: per map the low-resolution input, the prediction, the"
        + " reference and the absolute error in three planes, a slice scroller, the NiiVue"
        + " viewer, the metrics and the settings. One file, images embedded, opens offline.")
public final class ReportCommand implements Callable<Integer> {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Option(names = "--pred", required = true, paramLabel = "FILE", description = "Predicted maps.")
  Path pred;

  @Option(names = "--ref", required = true, paramLabel = "FILE", description = "Reference maps.")
  Path ref;

  @Option(names = "--compare", paramLabel = "FILE",
      description = "Second set of predicted maps (e.g. the classic baseline), scored and shown"
          + " beside --pred.")
  Path compare;

  @Option(names = "--pred-label", paramLabel = "TEXT", defaultValue = "prediction",
      description = "Name of --pred in the page (default: ${DEFAULT-VALUE}).")
  String predLabel;

  @Option(names = "--compare-label", paramLabel = "TEXT", defaultValue = "comparison",
      description = "Name of --compare in the page (default: ${DEFAULT-VALUE}).")
  String compareLabel;

  @Option(names = "--uncertainty", split = ",", paramLabel = "FILE",
      description = "Per-voxel standard deviation of --pred over samples (noddi predict"
          + " --samples N): one file with a volume per map, or one file per map, comma-separated;"
          + " shown as a column beside --pred.")
  List<Path> uncertainty;

  @Option(names = "--input", paramLabel = "FILE",
      description = "Low-resolution input (DWI or low-resolution maps), shown resampled.")
  Path input;

  @Option(names = "--input-volume", paramLabel = "K", defaultValue = "0",
      description = "Volume of a DWI input to show (default: ${DEFAULT-VALUE}, usually a b0).")
  int inputVolume;

  @Option(names = "--mask", paramLabel = "FILE", description = "Brain mask for the metrics.")
  Path mask;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "Tissue labels (1 CSF, 2 GM, 3 WM, 4 deep GM) for a per-tissue table.")
  Path labels;

  @Option(names = "--range", paramLabel = "R", defaultValue = "1.0",
      description = "Data range for PSNR/SSIM and the colour scale 0..R (default:"
          + " ${DEFAULT-VALUE}, NODDI maps).")
  double range;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Mixin PlaneOptions planes;

  @Option(names = "--no-viewer",
      description = "Leave out the slice scroller and the NiiVue viewer (smaller page).")
  boolean noViewer;

  @Option(names = "--viewer-images", paramLabel = "N", defaultValue = "600",
      description = "Most pictures in the slice scroller, all maps together; larger volumes"
          + " keep every k-th slice (default: ${DEFAULT-VALUE}).")
  int viewerImages;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

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

  @Override
  public Integer call() throws Exception {
    run(new Request(pred, ref, compare, predLabel, compareLabel, uncertainty, input,
        inputVolume, mask, labels, range, out, planes.slice, planes.radiological, noViewer,
        viewerImages),
        spec.commandLine().getOut());
    return 0;
  }

  /** Writes the page {@code q} asks for, OUT/index.html, and says so on {@code w}. */
  public static void run(Request q, PrintWriter w) throws Exception {
    double range = q.range();
    Volume p = NiftiReader.read(q.pred()).volume();
    Volume r = NiftiReader.read(q.ref()).volume();
    Mask m = q.mask() == null ? null : EvaluateCommand.readMask(q.mask(), r);
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
        EvaluateCommand.note(m, o), c, compareScores, sd).html();
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
