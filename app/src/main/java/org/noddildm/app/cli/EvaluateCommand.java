package org.noddildm.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.app.evaluate.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi evaluate}: PSNR, SSIM and MAE of predicted maps against reference maps. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Score predicted maps against reference maps: PSNR, SSIM (as scikit-image"
        + " computes them) and MAE per map and their mean.")
public final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--pred", required = true, paramLabel = "FILE",
      description = "Predicted maps (e.g. NDI, ODI, FWF as 3 volumes).")
  Path pred;

  @Option(names = "--ref", required = true, paramLabel = "FILE",
      description = "Reference maps on the same grid, same number of volumes.")
  Path ref;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask: PSNR, MAE and MSE inside it, plus the SSIM map's mean inside it.")
  Path mask;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "Tissue labels (1 CSF, 2 GM, 3 WM, 4 deep GM) for per-tissue errors.")
  Path labels;

  @Option(names = "--range", paramLabel = "R",
      description = "Data range R for PSNR and SSIM, e.g. 1.0 for NODDI maps (default: each"
          + " reference map's max - min).")
  Double range;

  @Option(names = "--gaussian", description = "Gaussian SSIM window (sigma 1.5, 11 voxels)"
      + " instead of the uniform 7-voxel window.")
  boolean gaussian;

  @Option(names = "--win", paramLabel = "N", description = "SSIM window size, odd (default 7).")
  Integer win;

  @Option(names = "--slicewise", description = "Also report the mean 2D SSIM over axial"
      + " (third-axis) slices, as many super-resolution papers do.")
  boolean slicewise;

  @Option(names = "--ssim-map", paramLabel = "FILE",
      description = "Also write the per-voxel SSIM maps (one volume per map) as NIfTI.")
  Path ssimMap;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the scores as JSON.")
  Path json;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write the scores as CSV.")
  Path csv;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Evaluation.run(new Evaluation.Request(pred, ref, mask, labels, range, gaussian, win, slicewise, ssimMap, json,
        csv), spec.commandLine().getOut());
    return 0;
  }
}
