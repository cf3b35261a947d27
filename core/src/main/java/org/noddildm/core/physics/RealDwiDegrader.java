package org.noddildm.core.physics;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * The same degradation for a user's real high-resolution DWI: keep a subset of the volumes,
 * crop the grid to a multiple of the factor (the last voxels of an axis go; the affine keeps
 * every kept voxel's world position), downsample and add noise. The SNR refers to a reference
 * b0 signal estimated from the data: the median of the mean b0 image over the voxels brighter
 * than 20% of its 99th percentile (a rough brain mask). The data's own noise is still in the
 * result (reduced by block averaging), so the final SNR is somewhat below the requested one.
 */
public final class RealDwiDegrader {
  private RealDwiDegrader() {}

  /** The result: low-resolution DWI, its gradient table and a rough low-resolution mask. */
  public record Result(Volume dwi, GradientTable table, Mask mask, double s0Reference,
      int[] kept, int[] croppedSize) {}

  /**
   * Degrades {@code dwi}; {@code keep} lists the volumes to keep (in order), or null for all.
   */
  public static Result degrade(Volume dwi, GradientTable table, int[] keep, Degradation d) {
    table.requireVolumes(dwi.nt());
    int f = d.factor();
    int sx = dwi.nx() / f * f;
    int sy = dwi.ny() / f * f;
    int sz = dwi.nz() / f * f;
    BadArgumentException.require(sx > 0 && sy > 0 && sz > 0, "factor " + f + ": expected an"
        + " image at least " + f + " voxels along each axis, found " + dwi.grid().shape());
    int[] idx = keep == null ? range(dwi.nt()) : keep;
    Volume v = keep == null ? dwi : dwi.volumes(idx);
    GradientTable t = keep == null ? table : table.select(idx);
    if (sx != dwi.nx() || sy != dwi.ny() || sz != dwi.nz()) {
      v = VolumeOps.cropOrPad(v, 0, 0, 0, sx, sy, sz, 0f);
    }
    double s0 = referenceS0(v, t);
    Volume low = d.apply(v, s0);
    Volume meanB0 = VolumeOps.downsample(meanB0(v, t), f);
    Mask mask = Mask.above(meanB0, (float) (0.2 * percentile(meanB0.data(), 0.99)));
    return new Result(low, t, mask, s0, idx, new int[] {sx, sy, sz});
  }

  /** Median b0 over voxels brighter than 20% of the 99th percentile of the mean b0 image. */
  public static double referenceS0(Volume dwi, GradientTable t) {
    Volume b0 = meanB0(dwi, t);
    float[] v = b0.data();
    double thr = 0.2 * percentile(v, 0.99);
    double[] in = new double[v.length];
    int n = 0;
    for (float x : v) {
      if (x > thr) {
        in[n++] = x;
      }
    }
    BadArgumentException.require(n > 0 && thr > 0,
        "b0 signal: expected a positive b0 image to set the SNR against, found none");
    double[] s = Arrays.copyOf(in, n);
    Arrays.sort(s);
    return s[n / 2];
  }

  private static Volume meanB0(Volume dwi, GradientTable t) {
    int[] b0 = t.b0Indices();
    BadArgumentException.require(b0.length > 0, "gradient table: expected at least one b0"
        + " volume (b <= " + t.b0Threshold() + ") to set the SNR against, found none");
    int n = dwi.grid().size();
    float[] out = new float[n];
    for (int k : b0) {
      for (int i = 0; i < n; i++) {
        out[i] += dwi.at(i, k) / b0.length;
      }
    }
    return new Volume(dwi.grid(), 1, out);
  }

  private static double percentile(float[] v, double q) {
    float[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
