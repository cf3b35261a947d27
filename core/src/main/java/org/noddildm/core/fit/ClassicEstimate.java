package org.noddildm.core.fit;

import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * What the classic pipeline knows about a low-resolution scan, on the scan's grid: the NODDI fit
 * (dictionary fit, {@link NoddiModel} with its defaults) and a few direction-free measures of the
 * signal. It is the anchor of the learned refiner, which only adds a correction to the fit's
 * trilinear upsampling, and the input it sees.
 *
 * <p>Channels of {@link #features}, all rotation invariant so that the same tissue gives the
 * same input whatever the gradient directions are:
 * <pre>
 *   0 NDI, 1 ODI, 2 FWF       the NODDI fit (0 outside the mask)
 *   3 FA                       DTI fractional anisotropy (b &lt;= 1500)
 *   4 MD / 3e-3 mm^2/s         DTI mean diffusivity, about 0..1
 *   5 S0 / robust max          mean b0 over its 99th percentile in the mask (so that
 *                              background around the brain does not change it)
 *   6 mean(S_b1) / S0          spherical mean of the lowest shell (Kaden et al. 2016)
 *   7 mean(S_b2) / S0          spherical mean of the highest shell
 *   8 mask                     1 in the brain, 0 outside
 * </pre>
 *
 * @param maps NDI, ODI, FWF of the fit on the scan's grid
 * @param features the {@value #CHANNELS} channels above on the scan's grid
 */
public record ClassicEstimate(Volume maps, Volume features) {
  /** Number of feature channels. */
  public static final int CHANNELS = 9;
  private static final double MD_SCALE = 3e-3;

  public ClassicEstimate {
    BadArgumentException.require(maps.nt() == 3 && features.nt() == CHANNELS,
        "classic estimate: expected 3 maps and " + CHANNELS + " features, found " + maps.nt()
            + " and " + features.nt());
  }

  /**
   * Fits the scan inside {@code mask} and computes the features.
   *
   * @param scan the low-resolution DWI
   * @param table its gradient table (at least one b0 and two shells)
   * @param mask the brain on the scan's grid; voxels with a non-finite signal get 0 features
   */
  public static ClassicEstimate of(Volume scan, GradientTable table, Mask mask) {
    table.requireVolumes(scan.nt());
    List<GradientTable.Shell> shells = table.shells();
    NoddiModel model = new NoddiModel(table, NoddiFitConfig.defaults());
    model.prepare();
    VoxelMapper.Result fit = VoxelMapper.map(scan, mask, table.b0Indices(), model,
        VoxelMapper.Fill.ZERO, null);
    Grid g = scan.grid();
    int n = g.size();
    float[] f = new float[CHANNELS * n];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(fit.maps().get(c).data(), 0, f, c * n, n);
    }
    float[] fa = fit.maps().get(4).data();
    float[] md = fit.maps().get(5).data();
    float[] s0 = ShellFeatures.meanB0(scan, table.b0Indices());
    double scale = ShellFeatures.robustS0Scale(s0, mask);
    int[] low = shells.get(0).indices();
    int[] high = shells.get(shells.size() - 1).indices();
    float[] d = scan.data();
    Parallel.forChunks(n, 4096, (start, end) -> {
      for (int i = start; i < end; i++) {
        if (!mask.contains(i)) {
          continue;
        }
        f[3 * n + i] = finite(fa[i]);
        f[4 * n + i] = finite((float) (md[i] / MD_SCALE));
        f[5 * n + i] = finite((float) (s0[i] / scale));
        f[6 * n + i] = finite(sphericalMean(d, n, i, low, s0[i]));
        f[7 * n + i] = finite(sphericalMean(d, n, i, high, s0[i]));
        f[8 * n + i] = 1f;
      }
    });
    Volume features = new Volume(g, CHANNELS, f);
    return new ClassicEstimate(features.volumes(0, 1, 2), features);
  }

  /**
   * Method (a2), the MRtrix habit of upsampling before modelling: the scan trilinearly
   * upsampled onto {@code hi} (the scan's upsampled grid), then fitted there in the upsampled
   * brain mask. Slower than (a) by the factor cubed.
   */
  public static Volume fitOfUpsampledScan(Volume scan, GradientTable table, Mask mask, Grid hi) {
    Volume dwi = VolumeOps.resampleTrilinear(scan, hi, 0f);
    Mask brain = Mask.above(VolumeOps.resampleTrilinear(mask.toVolume(), hi, 0f), 0.5f);
    return of(dwi, table, brain).maps();
  }

  /** The fit's maps trilinearly upsampled onto {@code hi}: the classic pipeline's answer. */
  public Volume upsampled(Grid hi) {
    return VolumeOps.resampleTrilinear(maps, hi, 0f);
  }

  /**
   * 0 for a NaN or infinite value: a voxel with a non-finite signal (the fit leaves its maps at
   * 0) must not spread NaN through a network that sees its neighbours.
   */
  private static float finite(float v) {
    return Float.isFinite(v) ? v : 0f;
  }

  private static float sphericalMean(float[] d, int n, int i, int[] shell, float s0) {
    if (!(s0 > 0)) {
      return 0f;
    }
    double s = 0;
    for (int t : shell) {
      s += d[t * n + i];
    }
    return (float) Math.min(1.5, Math.max(0, s / shell.length / s0));
  }
}
