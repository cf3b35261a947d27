package org.noddildm.core.metrics;

import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * What an {@link ErrorModel} reads about each voxel of a sampled estimate, all known at
 * prediction time: where the samples disagree, where the refiner moved the classic fit most,
 * and where the maps change fast (edges and partial volume, where an upsampled map errs most).
 * Per map (NDI, ODI, FWF), the {@link #NAMES} in order:
 * <ol>
 *   <li>log of the samples' sd, pooled over the brain's 3^3 neighbours ({@code spread});
 *   <li>log of the refiner's correction |classic fit upsampled - refined|, pooled the same way;
 *   <li>log of the refined map's gradient magnitude (central differences, voxel units), pooled;
 *   <li>log of that gradient magnitude at the voxel itself;
 *   <li>FWF (1 - FWF) of the refined maps: the partial volume of tissue and free water.
 * </ol>
 * Logs are of {@code x + }{@value #EPS}, so that a voxel where all agree is finite.
 *
 * @param spread the samples' sd, already pooled (3 maps)
 * @param refined the refiner's maps the samples build on, 0 outside the brain
 * @param classicUp the classic fit, upsampled to the same grid
 * @param brain the brain (neighbours outside it weigh nothing in the pooling)
 * @param pooling the neighbourhood a side of the pooled features
 */
public record ErrorFeatures(Volume spread, Volume refined, Volume classicUp, Mask brain,
    int pooling) {
  /** The features of one map, in order. */
  public static final List<String> NAMES = List.of("log sd", "log correction",
      "log gradient pooled", "log gradient", "fwf (1 - fwf)");
  /** Added before each log (the maps run from 0 to 1). */
  public static final double EPS = 1e-3;

  public ErrorFeatures {
    Grid g = refined.grid();
    BadArgumentException.require(refined.nt() == 3 && spread.nt() == 3 && classicUp.nt() == 3,
        "error features: expected 3 maps each, found sd " + spread.nt() + ", refined "
        + refined.nt() + ", classic " + classicUp.nt());
    BadArgumentException.require(g.sameSize(spread.grid()) && g.sameSize(classicUp.grid())
        && g.sameSize(brain.grid()), "error features: expected one grid, found " + g
        + ", " + spread.grid() + ", " + classicUp.grid() + ", " + brain.grid());
  }

  /** Voxels per map. */
  public int size() {
    return refined.grid().size();
  }

  /** The {@link #NAMES} of map {@code t}, each an array over the voxels. */
  public float[][] of(int t) {
    int n = size();
    float[] gradient = gradientMagnitude(refined, t);
    float[] pooledCorrection = pooledCorrection(t);
    float[] pooledGradient = pool(gradient);
    float[][] f = new float[NAMES.size()][n];
    for (int i = 0; i < n; i++) {
      double fwf = refined.at(i, 2);
      f[0][i] = log(spread.at(i, t));
      f[1][i] = log(pooledCorrection[i]);
      f[2][i] = log(pooledGradient[i]);
      f[3][i] = log(gradient[i]);
      f[4][i] = (float) (fwf * (1 - fwf));
    }
    return f;
  }

  /** All features as one volume, channel t * {@link #NAMES}.size() + k (for a small subject). */
  public Volume all() {
    int n = size();
    int k = NAMES.size();
    float[] out = new float[3 * k * n];
    for (int t = 0; t < 3; t++) {
      float[][] f = of(t);
      for (int j = 0; j < k; j++) {
        System.arraycopy(f[j], 0, out, (t * k + j) * n, n);
      }
    }
    return new Volume(refined.grid(), 3 * k, out);
  }

  /**
   * The samples' spread with the refiner's correction as a second source of spread:
   * sqrt(spread^2 + (weight d)^2), d the correction pooled as the features pool it
   * ({@link LocalSpread#combined}).
   */
  public Volume spreadWithCorrection(double weight) {
    int n = size();
    float[] d = new float[3 * n];
    for (int t = 0; t < 3; t++) {
      System.arraycopy(pooledCorrection(t), 0, d, t * n, n);
    }
    return LocalSpread.combined(spread, new Volume(refined.grid(), 3, d), weight);
  }

  /** |classic fit upsampled - refined| of map t, pooled over the brain's neighbours. */
  private float[] pooledCorrection(int t) {
    float[] correction = new float[size()];
    for (int i = 0; i < correction.length; i++) {
      correction[i] = Math.abs(classicUp.at(i, t) - refined.at(i, t));
    }
    return pool(correction);
  }

  private float[] pool(float[] x) {
    return LocalSpread.pooled(new Volume(refined.grid(), 1, x), brain, pooling).data();
  }

  private static float log(double x) {
    return (float) Math.log(Math.max(0, x) + EPS);
  }

  /**
   * |grad v_t| by central differences in voxel units (one-sided at the grid's faces), as
   * numpy's {@code gradient}.
   */
  static float[] gradientMagnitude(Volume v, int t) {
    int nx = v.nx();
    int ny = v.ny();
    int nz = v.nz();
    float[] d = v.data();
    int off = t * nx * ny * nz;
    float[] out = new float[nx * ny * nz];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = x + nx * (y + ny * z);
          double gx = diff(d, off, i, x, nx, 1);
          double gy = diff(d, off, i, y, ny, nx);
          double gz = diff(d, off, i, z, nz, nx * ny);
          out[i] = (float) Math.sqrt(gx * gx + gy * gy + gz * gz);
        }
      }
    }
    return out;
  }

  private static double diff(float[] d, int off, int i, int c, int n, int stride) {
    if (n == 1) {
      return 0;
    }
    if (c == 0) {
      return d[off + i + stride] - d[off + i];
    }
    if (c == n - 1) {
      return d[off + i] - d[off + i - stride];
    }
    return 0.5 * (d[off + i + stride] - d[off + i - stride]);
  }
}
