package org.noddildm.model.data;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.volume.Volume;

/**
 * How volumes are scaled to the network's range and back.
 *
 * <ul>
 *   <li>NODDI maps: already in 0..1, clipped to [0, 1]; the inverse is the identity.
 *   <li>DMRI: each voxel's signal divided by its mean b0, {@code E = S / mean(S_b0)}, clipped to
 *       [0, clip] (noise can lift E above 1); voxels whose mean b0 is below
 *       {@code b0Fraction} of the 99th percentile of the mean b0 (background, where the ratio is
 *       noise over noise) are 0. The inverse multiplies by the mean b0 again.
 * </ul>
 *
 * @param target what is normalised
 * @param clip upper clip of the normalised DMRI signal (1.5); 1 for NODDI
 * @param b0Fraction background threshold as a fraction of the 99th percentile of the mean
 *     b0 (0.05)
 */
public record Normalisation(Target target, double clip, double b0Fraction) {
  public Normalisation {
    BadArgumentException.require(clip > 0, "normalisation clip: expected > 0, found " + clip);
    BadArgumentException.require(b0Fraction >= 0 && b0Fraction < 1,
        "b0 background fraction: expected in [0, 1), found " + b0Fraction);
  }

  public static Normalisation defaults(Target target) {
    return target == Target.NODDI ? new Normalisation(target, 1.0, 0)
        : new Normalisation(target, 1.5, 0.05);
  }

  /** NODDI maps clipped to [0, 1], as a new volume. */
  public Volume noddi(Volume maps) {
    float[] d = maps.data().clone();
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      d[i] = Float.isNaN(v) ? 0f : Math.max(0f, Math.min((float) clip, v));
    }
    return new Volume(maps.grid(), maps.nt(), d);
  }

  /** The per-voxel mean of the b0 volumes of {@code dwi} (one 3D volume). */
  public static Volume meanB0(Volume dwi, GradientTable table) {
    table.requireVolumes(dwi.nt());
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0,
        "DMRI normalisation: expected at least one b0 volume (b <= " + table.b0Threshold()
            + "), found none");
    int n = dwi.nx() * dwi.ny() * dwi.nz();
    float[] mean = new float[n];
    float[] d = dwi.data();
    for (int t : b0) {
      for (int i = 0; i < n; i++) {
        mean[i] += d[t * n + i] / b0.length;
      }
    }
    return new Volume(dwi.grid(), 1, mean);
  }

  /** {@code S / mean(S_b0)} clipped to [0, clip]; background voxels 0. */
  public Volume dwi(Volume dwi, GradientTable table) {
    float[] b0 = meanB0(dwi, table).data();
    int n = b0.length;
    float[] sorted = b0.clone();
    java.util.Arrays.sort(sorted);
    double floor = Math.max(1e-12, b0Fraction * sorted[(int) Math.floor(0.99 * (n - 1))]);
    float[] d = dwi.data();
    float[] out = new float[d.length];
    for (int t = 0; t < dwi.nt(); t++) {
      for (int i = 0; i < n; i++) {
        float v = b0[i] > floor ? d[t * n + i] / b0[i] : 0f;
        out[t * n + i] = Float.isNaN(v) ? 0f : Math.max(0f, Math.min((float) clip, v));
      }
    }
    return new Volume(dwi.grid(), dwi.nt(), out);
  }

  /** The inverse of {@link #dwi}: multiplies each volume by the mean b0 (3D). */
  public static Volume undoDwi(Volume normalised, Volume meanB0) {
    int n = meanB0.data().length;
    float[] out = normalised.data().clone();
    for (int t = 0; t < normalised.nt(); t++) {
      for (int i = 0; i < n; i++) {
        out[t * n + i] *= meanB0.data()[i];
      }
    }
    return new Volume(normalised.grid(), normalised.nt(), out);
  }
}
