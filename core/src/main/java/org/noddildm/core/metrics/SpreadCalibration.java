package org.noddildm.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Split-conformal calibration of a per-voxel spread (Vovk et al. 2005; Angelopoulos and Bates
 * 2021, "A gentle introduction to conformal prediction", section 2.3): on calibration subjects
 * that no training used, the score of a voxel is s = |truth - point| / sd; the scale c of a
 * group of voxels is the ceil((n + 1) level)-th smallest of its n scores, so that on new data
 * from the same distribution point +- c sd holds the truth with probability at least
 * {@code level}. Groups: each map (NDI, ODI, FWF) times a rough tissue class of the point
 * estimate itself (csf: FWF >= 0.5; wm: NDI >= 0.5; gm: the rest), since no truth exists when
 * it is applied; a group with fewer than {@value #MIN_COUNT} scores uses its map's pooled
 * scale. NDI and ODI are calibrated where the true FWF is below
 * {@link ErrorMetrics#FREE_WATER}, as they are scored.
 *
 * <p>The sd it writes is scaled apart from the interval when {@code sdScale} is given: by k =
 * RMS(|truth - point|) / RMS(sd) per group, so that its RMS is the RMS error (a spread-skill
 * ratio of 1 on the calibration subjects). For normal errors c / z and k agree; for errors with
 * heavy tails (a few large ones) the interval's c sd / z understates the RMS error, so the two
 * are kept apart. Older calibrations (no {@code sdScale}) write c sd / z.
 *
 * @param level the interval's nominal coverage, e.g. 0.9
 * @param scale per map, per class (csf, wm, gm), the factor c on the sd
 * @param sdScale per map, per class, the factor k that makes the written sd; null: c / z
 * @param count per map, per class, the scores it came from
 * @param data what the calibration subjects were, in words
 * @param errorModel the difficulty the sd is made of ({@link ErrorModel}); null: the raw sd
 * @param sampleScale per map, the factor lambda on one sample's deviation from the posterior
 *     mean ({@link #inflate}); null: none
 */
public record SpreadCalibration(double level, double[][] scale, double[][] sdScale,
    long[][] count, String data, ErrorModel errorModel, double[] sampleScale) {
  /** Class names, in the order of {@link #scale}'s second index. */
  public static final List<String> CLASSES = List.of("csf", "wm", "gm");
  /** Fewest scores for a class of its own. */
  public static final int MIN_COUNT = 200;
  /** The smallest sd a score divides by (a voxel whose samples all agree). */
  private static final double SD_FLOOR = 1e-6;

  public SpreadCalibration {
    BadArgumentException.require(level > 0 && level < 1, "calibration level: expected in (0,"
        + " 1), found " + level);
    BadArgumentException.require(scale.length == 3 && scale[0].length == 3,
        "calibration scales: expected 3 maps x 3 classes, found " + scale.length);
    BadArgumentException.require(sampleScale == null || sampleScale.length == 3,
        "calibration sample scales: expected 3 maps, found " + (sampleScale == null ? 0
        : sampleScale.length));
    BadArgumentException.require(sdScale == null || sdScale.length == 3 && sdScale[0].length
        == 3, "calibration sd scales: expected 3 maps x 3 classes, found " + (sdScale == null
        ? 0 : sdScale.length));
  }

  /** A calibration of the interval alone, as written before the sd had its own scale. */
  public SpreadCalibration(double level, double[][] scale, long[][] count, String data) {
    this(level, scale, null, count, data, null, null);
  }

  /** This calibration made of {@code model}'s difficulty. */
  public SpreadCalibration withErrorModel(ErrorModel model) {
    return new SpreadCalibration(level, scale, sdScale, count, data, model, sampleScale);
  }

  /** This calibration with one sample's deviation scaled by {@code lambda} per map. */
  public SpreadCalibration withSampleScale(double[] lambda) {
    return new SpreadCalibration(level, scale, sdScale, count, data, errorModel, lambda.clone());
  }

  /**
   * One sample moved away from (or towards) the posterior mean {@code center} it was drawn
   * around: center + lambda (sample - center), clipped to 0..1, lambda per map. This is the
   * multiplicative inflation of ensemble forecasting (Anderson and Anderson 1999, "A Monte Carlo
   * implementation of the nonlinear filtering problem to produce ensemble assimilations and
   * forecasts"): a model whose samples are too alike gets their spread, not their shape,
   * corrected, with lambda fitted where the truth is known so that a sample's deviation has
   * the mean square of the truth's (as for a draw from the posterior).
   */
  public Volume inflate(Volume sample, Volume center) {
    BadArgumentException.require(sampleScale != null, "calibration: expected sample scales,"
        + " found none");
    int n = sample.grid().size();
    float[] out = new float[3 * n];
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < n; i++) {
        double c = center.at(i, t);
        double v = c + sampleScale[t] * (sample.at(i, t) - c);
        out[t * n + i] = (float) Math.max(0, Math.min(1, v));
      }
    }
    return new Volume(sample.grid(), 3, out);
  }

  /** The class of a voxel of the point estimate: 0 csf, 1 wm, 2 gm. */
  public static int tissueClass(double ndi, double fwf) {
    return fwf >= 0.5 ? 0 : ndi >= 0.5 ? 1 : 2;
  }

  /** The interval and the calibrated sd of one prediction. */
  public record Interval(Volume sd, Volume lower, Volume upper) {}

  /**
   * point +- c sd (clipped to 0..1) and the written sd: k sd, or (older calibrations) c sd / z,
   * z the two-sided normal quantile of the level.
   */
  public Interval apply(Volume point, Volume sd) {
    int n = point.grid().size();
    float[] lo = new float[3 * n];
    float[] hi = new float[3 * n];
    float[] s = new float[3 * n];
    double z = normalQuantile(0.5 + level / 2);
    for (int i = 0; i < n; i++) {
      int c = tissueClass(point.at(i, 0), point.at(i, 2));
      for (int t = 0; t < 3; t++) {
        double half = scale[t][c] * sd.at(i, t);
        double p = point.at(i, t);
        lo[t * n + i] = (float) Math.max(0, p - half);
        hi[t * n + i] = (float) Math.min(1, p + half);
        s[t * n + i] = (float) (sdScale != null ? sdScale[t][c] * sd.at(i, t) : half / z);
      }
    }
    return new Interval(new Volume(point.grid(), 3, s), new Volume(point.grid(), 3, lo),
        new Volume(point.grid(), 3, hi));
  }

  /** "90% interval: NDI csf/wm/gm x 2.31/1.87/2.05, ODI ..., FWF ...". */
  public String describe() {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.0f%% interval = point +-"
        + " c sd, c per map and class (csf/wm/gm of the point estimate):", 100 * level));
    String[] maps = {"NDI", "ODI", "FWF"};
    for (int t = 0; t < 3; t++) {
      b.append(String.format(Locale.ROOT, " %s %.3g/%.3g/%.3g;", maps[t], scale[t][0],
          scale[t][1], scale[t][2]));
    }
    if (sdScale != null) {
      b.append(" sd = k sd, k making its RMS the RMS error:");
      for (int t = 0; t < 3; t++) {
        b.append(String.format(Locale.ROOT, " %s %.3g/%.3g/%.3g;", maps[t], sdScale[t][0],
            sdScale[t][1], sdScale[t][2]));
      }
    }
    if (sampleScale != null) {
      b.append(String.format(Locale.ROOT, " one sample's deviation from the posterior mean x"
          + " %.3g / %.3g / %.3g (NDI / ODI / FWF);", sampleScale[0], sampleScale[1],
          sampleScale[2]));
    }
    if (errorModel != null) {
      b.append(" sd made of the samples' spread, the refiner's correction, the maps' gradient"
          + " and partial volume (fitted error model);");
    }
    return b.append(" calibrated on ").append(data).toString();
  }

  /** Collects the scores of calibration subjects. */
  public static final class Builder {
    private final List<double[]>[][] scores;
    private final int[][] sizes = new int[3][3];
    private final double[][] squaredError = new double[3][3];
    private final double[][] squaredSd = new double[3][3];
    private final double[] truthDeviation = new double[3];
    private final double[] sampleDeviation = new double[3];
    private boolean sampled;

    @SuppressWarnings("unchecked")
    public Builder() {
      scores = new List[3][3];
      for (int t = 0; t < 3; t++) {
        for (int c = 0; c < 3; c++) {
          scores[t][c] = new ArrayList<>();
        }
      }
    }

    /** Adds one subject: its truth, point estimate and raw sd (3 maps each) in its brain. */
    public Builder add(Volume truth, Volume point, Volume sd, Mask brain) {
      for (int t = 0; t < 3; t++) {
        double[][] buf = new double[3][brain.count()];
        int[] k = new int[3];
        for (int i : brain.indices()) {
          if (!ErrorMetrics.scored(truth, t, i)) {
            continue;
          }
          int c = tissueClass(point.at(i, 0), point.at(i, 2));
          double err = Math.abs(truth.at(i, t) - point.at(i, t));
          double s = sd.at(i, t);
          buf[c][k[c]++] = err / Math.max(SD_FLOOR, s);
          squaredError[t][c] += err * err;
          squaredSd[t][c] += s * s;
        }
        for (int c = 0; c < 3; c++) {
          scores[t][c].add(Arrays.copyOf(buf[c], k[c]));
          sizes[t][c] += k[c];
        }
      }
      return this;
    }

    /**
     * Adds one sample of a subject and the posterior mean it was drawn around: the scale of
     * {@link SpreadCalibration#inflate} makes the sample's mean square deviation from it that of
     * the truth, over all subjects added, in the brain (NDI and ODI where the true FWF is below
     * {@link ErrorMetrics#FREE_WATER}).
     */
    public Builder addSample(Volume truth, Volume sample, Volume center, Mask brain) {
      for (int t = 0; t < 3; t++) {
        for (int i : brain.indices()) {
          if (!ErrorMetrics.scored(truth, t, i)) {
            continue;
          }
          double c = center.at(i, t);
          truthDeviation[t] += (truth.at(i, t) - c) * (truth.at(i, t) - c);
          sampleDeviation[t] += (sample.at(i, t) - c) * (sample.at(i, t) - c);
        }
      }
      sampled = true;
      return this;
    }

    /** The calibration at {@code level}. */
    public SpreadCalibration build(double level, String data) {
      double[][] scale = new double[3][3];
      double[][] sdScale = new double[3][3];
      long[][] count = new long[3][3];
      for (int t = 0; t < 3; t++) {
        double e2 = squaredError[t][0] + squaredError[t][1] + squaredError[t][2];
        double s2 = squaredSd[t][0] + squaredSd[t][1] + squaredSd[t][2];
        double[] pooled = concat(scores[t][0], scores[t][1], scores[t][2]);
        BadArgumentException.require(pooled.length > 0, "calibration: expected scored voxels,"
            + " found none");
        double pooledScale = quantile(pooled, level);
        for (int c = 0; c < 3; c++) {
          double[] v = concat(scores[t][c]);
          count[t][c] = v.length;
          boolean own = v.length >= MIN_COUNT;
          scale[t][c] = own ? quantile(v, level) : pooledScale;
          sdScale[t][c] = own ? rmsRatio(squaredError[t][c], squaredSd[t][c]) : rmsRatio(e2, s2);
        }
      }
      return new SpreadCalibration(level, scale, sdScale, count, data, null, sampleScale());
    }

    /** The sample scale per map of the samples added ({@link #addSample}), or null: none. */
    public double[] sampleScale() {
      if (!sampled) {
        return null;
      }
      double[] lambda = new double[3];
      for (int t = 0; t < 3; t++) {
        lambda[t] = rmsRatio(truthDeviation[t], sampleDeviation[t]);
      }
      return lambda;
    }

    /** sqrt(a / b) of two sums of squares, b at least {@code SD_FLOOR}^2. */
    private static double rmsRatio(double a, double b) {
      return Math.sqrt(a / Math.max(b, SD_FLOOR * SD_FLOOR));
    }

    @SafeVarargs
    private static double[] concat(List<double[]>... lists) {
      int n = 0;
      for (List<double[]> l : lists) {
        for (double[] a : l) {
          n += a.length;
        }
      }
      double[] out = new double[n];
      int k = 0;
      for (List<double[]> l : lists) {
        for (double[] a : l) {
          System.arraycopy(a, 0, out, k, a.length);
          k += a.length;
        }
      }
      return out;
    }
  }

  /** The ceil((n + 1) level)-th smallest score (the largest when that exceeds n). */
  static double quantile(double[] scores, double level) {
    double[] s = scores.clone();
    Arrays.sort(s);
    int k = (int) Math.ceil((s.length + 1) * level);
    return s[Math.min(s.length, Math.max(1, k)) - 1];
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error 1e-9). */
  static double normalQuantile(double p) {
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
    double q;
    if (p < 0.02425) {
      q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
