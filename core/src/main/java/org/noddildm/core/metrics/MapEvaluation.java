package org.noddildm.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Scores a multi-map prediction (e.g. NDI, ODI, FWF stacked as 3 volumes) against its
 * reference, map by map: PSNR, SSIM, MAE and MSE with one stated data range.
 */
public final class MapEvaluation {
  private MapEvaluation() {}

  /** Names of the three NODDI maps in the order the project stores them. */
  public static final List<String> NODDI_NAMES = List.of("NDI", "ODI", "FWF");

  /**
   * @param dataRange R for PSNR and SSIM; NaN to use each reference map's max - min
   * @param mask optional brain mask for PSNR/MAE/MSE and the masked SSIM; null for all voxels
   */
  public static List<MapScores> evaluate(Volume pred, Volume ref, Mask mask, double dataRange,
      SsimOptions options) {
    BadArgumentException.require(pred.grid().sameAs(ref.grid()),
        "prediction and reference: expected the same grid, found " + pred.grid().shape()
            + " and " + ref.grid().shape() + (pred.grid().sameSize(ref.grid())
                ? " with different affines" : ""));
    BadArgumentException.require(pred.nt() == ref.nt(),
        "prediction and reference: expected the same number of maps, found " + pred.nt()
            + " and " + ref.nt());
    if (mask != null) {
      BadArgumentException.require(mask.grid().sameAs(ref.grid()),
          "mask: expected the reference grid " + ref.grid().shape() + ", found "
              + mask.grid().shape() + " or a different affine");
    }
    List<MapScores> out = new ArrayList<>();
    for (int t = 0; t < ref.nt(); t++) {
      double r = Double.isNaN(dataRange) ? ErrorMetrics.referenceRange(ref, t, null) : dataRange;
      BadArgumentException.require(r > 0, "data range of map " + t
          + ": expected > 0, found " + r + " (a constant reference; give a data range)");
      double[] mm = ErrorMetrics.moments(ref, pred, t, mask);
      Ssim.Result s = Ssim.compute(pred, ref, t, r, options);
      double sm = mask == null ? Double.NaN : Ssim.maskedMean(s.map(), mask);
      out.add(new MapScores(name(t, ref.nt()), ErrorMetrics.psnrFromMse(mm[0], r), s.mean(), sm,
          mm[1], mm[0], r));
    }
    return out;
  }

  /** "NDI", "ODI", "FWF" for 3-map images, else "map 0", "map 1", ... */
  public static String name(int t, int count) {
    return count == NODDI_NAMES.size() ? NODDI_NAMES.get(t) : count == 1 ? "map" : "map " + t;
  }

  /**
   * The scores the project reports for NODDI maps (NDI, ODI, FWF), data range 1: per map
   * {psnr, ssim, ssimBrain}: PSNR in the brain (NDI and ODI only where the reference FWF is
   * below {@link ErrorMetrics#FREE_WATER}, where they are defined), scikit-image's SSIM over the
   * volume, and the mean of the SSIM map in the brain.
   */
  public static double[][] noddiInBrain(Volume pred, Volume ref, Mask brain) {
    Mask tissue = brain.whereBelow(ref, 2, ErrorMetrics.FREE_WATER);
    SsimOptions o = SsimOptions.defaults();
    List<MapScores> inTissue = evaluate(pred, ref, tissue, ErrorMetrics.NODDI_RANGE, o);
    List<MapScores> inBrain = evaluate(pred, ref, brain, ErrorMetrics.NODDI_RANGE, o);
    double[][] r = new double[3][3];
    for (int t = 0; t < 3; t++) {
      MapScores m = t < 2 ? inTissue.get(t) : inBrain.get(t);
      r[0][t] = m.psnr();
      r[1][t] = m.ssim();
      r[2][t] = m.ssimMasked();
    }
    return r;
  }
}
