package org.noddildm.app.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.FlattenedScores;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.SampleMetrics;
import org.noddildm.core.metrics.TissueSummary;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.Tissue;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * One method's scores on one subject, data range 1: per map (NDI, ODI, FWF) the PSNR in the
 * brain, the SSIM over the whole volume (scikit-image's, window 7) and the mean of the SSIM map
 * in the brain; PSNR per tissue; and the original system's flattened scoring. NDI and ODI are
 * scored only where the true FWF is below 0.9 (they are undefined in free water), FWF in the
 * whole brain.
 *
 * @param psnr per map, in the brain
 * @param ssim per map, whole volume
 * @param ssimBrain per map, mean of the SSIM map in the brain
 * @param tissuePsnr per tissue name, per map
 * @param flattened the original system's scoring
 * @param sdErrorCorrelation per map, Pearson's correlation in the scoring mask between the
 *     per-voxel standard deviation over samples and the absolute error (is the uncertainty map
 *     high where the maps are wrong?), or null for a method without samples
 * @param detail per map, the Laplacian RMS of the prediction over the truth's in the scoring
 *     mask ({@link SampleMetrics#detailRatio})
 * @param uncertainty for a method with an sd: per map its spread-skill ratio, Spearman
 *     correlation with the absolute error, and the coverage of the interval the method wrote
 *     (mean +- 1.645 sd when it wrote none); else null
 * @param texture for one sample scored against a point estimate: per map the band power
 *     ratios of {@link SampleMetrics#bandPowerRatio}; else null
 * @param rim per map, the share of the squared error in the scoring mask that lies outside the
 *     brain the method was given (the scan's mask on the fine grid, where every method writes
 *     0): a question of the mask, not of the method
 * @param psnrGiven per map, the PSNR where an estimate exists (the scoring mask inside the
 *     given brain)
 *
 * <p>PSNR, SSIM and detail are scored in the whole true brain. The sd, the interval and one
 * sample's texture are scored where an estimate exists, the true brain inside the given one:
 * outside it no method writes maps, and an sd of 0 there claims nothing.
 */
record SubjectScores(double[] psnr, double[] ssim, double[] ssimBrain,
    Map<String, double[]> tissuePsnr, FlattenedScores flattened, double[] sdErrorCorrelation,
    double[] detail, double[][] uncertainty, double[][] texture, double[] rim,
    double[] psnrGiven) {
  static SubjectScores of(Volume pred, Phantom truth, Mask given) {
    return of(pred, null, null, null, truth, given);
  }

  /**
   * The scores of {@code pred}, with the spread {@code sd} over samples (or null) and the
   * interval {@code lower}..{@code upper} written with it (or null: mean +- 1.645 sd), for a
   * method given the brain {@code given} (on the truth's grid; null: the whole true brain).
   * Since a calibration scales the sd and the interval apart, the interval is scored as written.
   */
  static SubjectScores of(Volume pred, Volume sd, Volume lower, Volume upper, Phantom truth,
      Mask given) {
    Volume ref = truth.maps();
    Volume p = new Volume(ref.grid(), 3, pred.data());
    Mask brain = truth.mask();
    Mask tissueMask = brain.whereBelow(ref, 2, ErrorMetrics.FREE_WATER);
    // per map: where it is scored, and where an estimate of it exists (Mask.and keeps the
    // truth's grid, so the given brain may lie on the prediction's grid of the same size)
    Mask[] scored = {tissueMask, tissueMask, brain};
    Mask[] estimated = new Mask[3];
    double[] rim = new double[3];
    double[] psnrGiven = new double[3];
    for (int t = 0; t < 3; t++) {
      estimated[t] = given == null ? scored[t] : scored[t].and(given);
      rim[t] = outsideShare(p, ref, t, scored[t], estimated[t]);
      psnrGiven[t] = ErrorMetrics.psnr(ref, p, t, estimated[t], ErrorMetrics.NODDI_RANGE);
    }
    double[][] scores = MapEvaluation.noddiInBrain(p, ref, brain);
    double[] psnr = scores[0];
    double[] ssim = scores[1];
    double[] ssimBrain = scores[2];
    Map<String, double[]> perTissue = new LinkedHashMap<>();
    for (int label = Tissue.CSF; label < Tissue.COUNT; label++) {
      double[] v = new double[3];
      int count = 0;
      for (int t = 0; t < 3; t++) {
        boolean[] in = new boolean[ref.grid().size()];
        for (int i = 0; i < in.length; i++) {
          in[i] = truth.labels().at(i, 0) == label && scored[t].contains(i);
        }
        Mask m = new Mask(ref.grid(), in);
        count = Math.max(count, m.count());
        v[t] = m.count() == 0 ? Double.NaN : ErrorMetrics.psnr(ref, p, t, m,
            ErrorMetrics.NODDI_RANGE);
      }
      if (count > 0) {
        perTissue.put(TissueSummary.tissueName(label), v);
      }
    }
    double[] detail = new double[3];
    for (int t = 0; t < 3; t++) {
      detail[t] = SampleMetrics.detailRatio(p, ref, t, scored[t]);
    }
    double[] corr = null;
    double[][] unc = null;
    if (sd != null) {
      Volume s = new Volume(ref.grid(), 3, sd.data());
      boolean written = lower != null && upper != null;
      Volume lo = written ? new Volume(ref.grid(), 3, lower.data())
          : SampleMetrics.bound(p, s, -1.645);
      Volume hi = written ? new Volume(ref.grid(), 3, upper.data())
          : SampleMetrics.bound(p, s, 1.645);
      corr = new double[3];
      unc = new double[3][3];
      for (int t = 0; t < 3; t++) {
        corr[t] = SampleMetrics.pearson(s, p, ref, t, estimated[t]);
        unc[0][t] = SampleMetrics.spreadSkill(s, p, ref, t, estimated[t]);
        unc[1][t] = SampleMetrics.spearman(s, p, ref, t, estimated[t]);
        unc[2][t] = SampleMetrics.coverage(lo, hi, ref, t, estimated[t]);
      }
    }
    return new SubjectScores(psnr, ssim, ssimBrain, perTissue, FlattenedScores.of(ref, p),
        corr, detail, unc, null, rim, psnrGiven);
  }

  /** The share of map t's squared error in {@code scored} that lies outside {@code inside}. */
  static double outsideShare(Volume pred, Volume ref, int t, Mask scored, Mask inside) {
    double all = 0;
    double out = 0;
    for (int i : scored.indices()) {
      double d = pred.at(i, t) - ref.at(i, t);
      all += d * d;
      out += inside.contains(i) ? 0 : d * d;
    }
    return all > 0 ? out / all : 0;
  }

  /**
   * These scores of one sample, with its texture around {@code point} (another method's maps
   * of the same subject) against the truth's, where the estimate exists (the true brain inside
   * {@code given}, or all of it when null).
   */
  SubjectScores withTexture(Volume sample, Volume point, Phantom truth, Mask given) {
    Volume ref = truth.maps();
    Mask brain = given == null ? truth.mask() : truth.mask().and(given);
    Mask tissueMask = brain.whereBelow(ref, 2, ErrorMetrics.FREE_WATER);
    Volume s = new Volume(ref.grid(), 3, sample.data());
    Volume pt = new Volume(ref.grid(), 3, point.data());
    double[][] tex = new double[3][];
    for (int t = 0; t < 3; t++) {
      tex[t] = SampleMetrics.bandPowerRatio(s, ref, pt, t, t < 2 ? tissueMask : brain);
    }
    return new SubjectScores(psnr, ssim, ssimBrain, tissuePsnr, flattened, sdErrorCorrelation,
        detail, uncertainty, tex, rim, psnrGiven);
  }

  double meanPsnr() {
    return (psnr[0] + psnr[1] + psnr[2]) / 3;
  }
}
