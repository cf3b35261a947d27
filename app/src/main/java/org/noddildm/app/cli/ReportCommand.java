package org.noddildm.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.noddildm.app.options.PlaneOptions;
import org.noddildm.app.report.Report;
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

  @Override
  public Integer call() throws Exception {
    Report.run(new Report.Request(pred, ref, compare, predLabel, compareLabel, uncertainty, input,
        inputVolume, mask, labels, range, out, planes.slice(), planes.radiological(), noViewer,
        viewerImages),
        spec.commandLine().getOut());
    return 0;
  }
}
