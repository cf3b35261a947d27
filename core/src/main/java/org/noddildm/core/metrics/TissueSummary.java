package org.noddildm.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;

/**
 * Errors of one map per tissue class of a label image (the simulator's labels: 1 CSF, 2 GM,
 * 3 WM, 4 deep GM; 0 background is skipped).
 *
 * @param label the label value
 * @param tissue its name ("CSF", "GM", "WM", "deep GM", or "label N")
 * @param voxels number of voxels with that label
 * @param meanRef mean reference value
 * @param meanPred mean predicted value
 * @param mae mean absolute error
 * @param mse mean squared error
 * @param psnr PSNR in dB with the given data range
 */
public record TissueSummary(int label, String tissue, int voxels, double meanRef,
    double meanPred, double mae, double mse, double psnr) {

  /** Tissue names of the simulator's label image. */
  public static String tissueName(int label) {
    return switch (label) {
      case 1 -> "CSF";
      case 2 -> "GM";
      case 3 -> "WM";
      case 4 -> "deep GM";
      default -> "label " + label;
    };
  }

  /** One summary per non-zero label of {@code labels}, ascending, for map {@code t}. */
  public static List<TissueSummary> of(Volume pred, Volume ref, int t, Volume labels,
      double dataRange) {
    Ssim.requireSameShape(pred, ref);
    BadArgumentException.require(labels.grid().size() == ref.grid().size(),
        "labels: expected " + ref.grid().shape() + ", found " + labels.grid().shape());
    TreeMap<Integer, double[]> acc = new TreeMap<>(); // count, sumRef, sumPred, sumAbs, sumSq
    int n = ref.grid().size();
    for (int i = 0; i < n; i++) {
      int l = Math.round(labels.at(i, 0));
      if (l == 0) {
        continue;
      }
      double r = ref.at(i, t);
      double p = pred.at(i, t);
      double[] a = acc.computeIfAbsent(l, k -> new double[5]);
      a[0]++;
      a[1] += r;
      a[2] += p;
      a[3] += Math.abs(p - r);
      a[4] += (p - r) * (p - r);
    }
    List<TissueSummary> out = new ArrayList<>();
    acc.forEach((l, a) -> out.add(new TissueSummary(l, tissueName(l), (int) a[0], a[1] / a[0],
        a[2] / a[0], a[3] / a[0], a[4] / a[0],
        ErrorMetrics.psnrFromMse(a[4] / a[0], dataRange))));
    return out;
  }
}
