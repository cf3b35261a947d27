package org.noddildm.app.report;

import java.util.Arrays;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The SNR estimate that needs no ground truth: the temporal SNR of the b0 volumes. In each
 * brain voxel the mean of the b0s over their standard deviation (n - 1), and the median of that
 * over the brain. It needs at least two b0s. Motion and drift between the b0s lower it, so it
 * is a lower bound of the thermal SNR, and a useful flag for a scan with motion.
 */
public final class SnrEstimate {
  private SnrEstimate() {}

  /**
   * The estimate of a scan in its automatic brain mask (median Otsu of the mean b0, the rule of
   * noddi predict and the BIDS App); NaN with fewer than two b0s.
   */
  public static double ofScan(Volume scan, GradientTable table) {
    int[] b0 = table.b0Indices();
    if (b0.length < 2) {
      return Double.NaN;
    }
    Mask brain = BrainMask.medianOtsu(Volume.of(scan.grid(), ShellFeatures.meanB0(scan, b0)),
        2);
    return b0TemporalSnr(scan, b0, brain);
  }

  /** The median temporal SNR of volumes {@code b0} of {@code scan} in {@code brain}; NaN with
   * fewer than two b0s or no voxel of non-zero spread. */
  public static double b0TemporalSnr(Volume scan, int[] b0, Mask brain) {
    if (b0.length < 2) {
      return Double.NaN;
    }
    int[] in = brain.indices();
    double[] snr = new double[in.length];
    int k = 0;
    for (int i : in) {
      double mean = 0;
      for (int t : b0) {
        mean += scan.at(i, t);
      }
      mean /= b0.length;
      double ss = 0;
      for (int t : b0) {
        double d = scan.at(i, t) - mean;
        ss += d * d;
      }
      double sd = Math.sqrt(ss / (b0.length - 1));
      if (sd > 0 && Double.isFinite(mean)) {
        snr[k++] = mean / sd;
      }
    }
    if (k == 0) {
      return Double.NaN;
    }
    double[] v = Arrays.copyOf(snr, k);
    Arrays.sort(v);
    return k % 2 == 1 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
  }
}
