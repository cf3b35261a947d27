package org.noddildm.model.ldm;

import org.noddildm.core.BadArgumentException;

/**
 * The per-voxel mean and population standard deviation of samples added one at a time, by
 * Welford's update (Welford 1962): one pass, no catastrophic cancellation, and exactly 0 spread
 * when all samples are equal.
 * <pre>
 *   mean_k = mean_{k-1} + (y_k - mean_{k-1}) / k
 *   M2_k   = M2_{k-1} + (y_k - mean_{k-1}) (y_k - mean_k),   std = sqrt(M2_N / N)
 * </pre>
 */
public final class SampleMoments {
  private final float[] mean;
  private final float[] m2;
  private int count;

  public SampleMoments(int values) {
    mean = new float[values];
    m2 = new float[values];
  }

  /** Adds one sample of the same length. */
  public void add(float[] y) {
    BadArgumentException.require(y.length == mean.length, "sample: expected " + mean.length
        + " values, found " + y.length);
    count++;
    for (int i = 0; i < mean.length; i++) {
      float d = y[i] - mean[i];
      mean[i] += d / count;
      m2[i] += d * (y[i] - mean[i]);
    }
  }

  public int count() {
    return count;
  }

  /** The running mean (a copy). */
  public float[] mean() {
    return mean.clone();
  }

  /** The population standard deviation over the samples so far. */
  public float[] std() {
    float[] s = new float[m2.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) Math.sqrt(Math.max(0, m2[i] / count));
    }
    return s;
  }
}
