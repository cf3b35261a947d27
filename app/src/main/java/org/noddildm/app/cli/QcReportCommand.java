package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.app.options.PlaneOptions;
import org.noddildm.app.report.QcReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi qc-report}: the QC report of real data (no ground truth) for the outputs of
 * {@code noddi predict}. {@code noddi bids ... participant} writes the same report for every
 * run by itself.
 */
@Command(name = "qc-report", mixinStandardHelpOptions = true,
    description = "Write DIR/index.html, the quality report of maps that have no ground truth:"
        + " SNR, the input's mean b0 and mean DWI per shell with the mask outline and its"
        + " gradient directions (with --dwi), the maps and sd maps in three planes with"
        + " orientation letters, histograms per tissue, the deep model minus the classic fit,"
        + " the NiiVue viewer, methods, settings and versions. One file, opens offline.")
public final class QcReportCommand implements Callable<Integer> {
  @Option(names = "--pred", required = true, paramLabel = "PREFIX",
      description = "Output prefix of noddi predict: reads PREFIX_noddi.nii.gz, and when present"
          + " PREFIX_{ndi,odi,fwf}_std.nii.gz, PREFIX_mask.nii.gz and PREFIX_prediction.json.")
  String pred;

  @Option(names = "--compare", paramLabel = "PREFIX",
      description = "Prefix of a second estimate on the same grid, usually noddi predict"
          + " --method classic: shown beside --pred and subtracted from it.")
  String compare;

  @Option(names = "--compare-name", paramLabel = "NAME", defaultValue = "classic",
      description = "Name of --compare (default: ${DEFAULT-VALUE}).")
  String compareName;

  @Option(names = "--dwi", paramLabel = "FILE",
      description = "The scan the maps came from: the SNR estimate, its mean b0 and mean DWI"
          + " per shell with the brain-mask outline, and the gradient directions per shell.")
  Path dwi;

  @Mixin org.noddildm.app.options.GradientOptions gradients;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask of the output grid (default: PREFIX_mask.nii.gz when present).")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Mixin PlaneOptions planes;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    QcReport.Scan scan = null;
    if (dwi != null) {
      org.noddildm.app.options.GradientOptions.Scan read = gradients.readScan(dwi);
      scan = new QcReport.Scan(dwi.getFileName().toString(), read.image().volume(),
          read.table());
    }
    Path page = QcReport.write(pred, compare, compareName, mask, out, planes.slice(),
        planes.radiological(), scan);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("wrote %s (%d KiB)%n", page, Files.size(page) / 1024);
    w.flush();
    return 0;
  }
}
