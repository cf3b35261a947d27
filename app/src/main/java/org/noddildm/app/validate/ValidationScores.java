package org.noddildm.app.validate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.noddildm.app.report.TissueClasses;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * One method's scores on one scan against the reference (the NODDI fit of the full
 * high-resolution scan), data range 1: per map the PSNR in the brain (NDI and ODI where the
 * reference FWF is below {@value ErrorMetrics#FREE_WATER}, FWF in the whole brain, as
 * {@code bench quality} scores against a truth), scikit-image's SSIM over the volume and the
 * mean of its SSIM map in the brain; the PSNR per rough tissue class of the reference
 * ({@link TissueClasses}); and, for a method with an interval, the share of scored voxels whose
 * reference value lies in it.
 *
 * @param psnr per map, in the brain
 * @param ssim per map, over the volume
 * @param ssimBrain per map, mean of the SSIM map in the brain
 * @param tissuePsnr per tissue class (csf, wm, gm), per map (NaN where the class is empty)
 * @param coverage per map, share of scored voxels inside the interval, or null
 */
public record ValidationScores(double[] psnr, double[] ssim, double[] ssimBrain,
    Map<String, double[]> tissuePsnr, double[] coverage) {
  /** Scores {@code pred} (3 maps); {@code lower}/{@code upper} bound an interval, or null. */
  public static ValidationScores of(Volume pred, Volume ref, Mask brain, Volume lower,
      Volume upper) {
    Volume p = new Volume(ref.grid(), 3, pred.data());
    Mask tissue = brain.whereBelow(ref, 2, ErrorMetrics.FREE_WATER);
    double[][] scores = MapEvaluation.noddiInBrain(p, ref, brain);
    double[] psnr = scores[0];
    double[] ssim = scores[1];
    double[] ssimBrain = scores[2];
    Map<String, double[]> perTissue = new LinkedHashMap<>();
    for (String name : TissueClasses.NAMES) {
      if (name.equals("brain")) {
        continue;
      }
      double[] v = new double[3];
      for (int t = 0; t < 3; t++) {
        Mask m = classMask(ref, t == 2 ? brain : tissue, name);
        v[t] = m.count() == 0 ? Double.NaN
            : ErrorMetrics.psnr(ref, p, t, m, ErrorMetrics.NODDI_RANGE);
      }
      perTissue.put(name, v);
    }
    double[] coverage = null;
    if (lower != null && upper != null) {
      coverage = new double[3];
      for (int t = 0; t < 3; t++) {
        Mask m = t == 2 ? brain : tissue;
        int in = 0;
        for (int i : m.indices()) {
          float r = ref.at(i, t);
          if (r >= lower.at(i, t) && r <= upper.at(i, t)) {
            in++;
          }
        }
        coverage[t] = m.count() == 0 ? Double.NaN : in / (double) m.count();
      }
    }
    return new ValidationScores(psnr, ssim, ssimBrain, perTissue, coverage);
  }

  /** The voxels of {@code within} in one class of {@link TissueClasses}, decided by the ref. */
  static Mask classMask(Volume ref, Mask within, String name) {
    boolean[] in = new boolean[ref.grid().size()];
    for (int i : within.indices()) {
      double ndi = ref.at(i, 0);
      double fwf = ref.at(i, 2);
      in[i] = switch (name) {
        case "csf" -> fwf >= 0.5;
        case "wm" -> fwf < 0.5 && ndi >= 0.5;
        case "gm" -> fwf < 0.5 && ndi < 0.5;
        default -> true;
      };
    }
    return new Mask(ref.grid(), in);
  }

  /** The mean PSNR of the three maps. */
  public double meanPsnr() {
    return (psnr[0] + psnr[1] + psnr[2]) / 3;
  }
}
