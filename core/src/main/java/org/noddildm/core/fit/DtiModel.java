package org.noddildm.core.fit;

import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.linalg.SmallLinearAlgebra;
import org.noddildm.core.linalg.SymmetricEigen3;

/**
 * The diffusion tensor model fitted by weighted linear least squares on the log signal (Basser
 * et al. 1994; weights as in Salvador et al. 2005 and dipy's WLS):
 *
 * <pre>
 *   ln S_i = ln S0 - b_i g_i' D g_i
 *   OLS:  beta = (X'X)^-1 X' y,        y_i = ln S_i
 *   WLS:  beta = (X'WX)^-1 X'W y,      W = diag(exp(2 X beta_OLS))   (var ln S ~ 1/S^2)
 * </pre>
 *
 * Only volumes with b at or below {@link Config#maxBvalue} are used, since the tensor describes
 * the signal well only at low b. Zero or negative signals (noise floor, masking) are raised to a
 * small floor before the logarithm; their WLS weights are then tiny, so they barely count.
 */
public final class DtiModel implements VoxelModel {
  /** Output maps, in order. */
  public static final List<VoxelModel.Output> OUTPUTS = List.of(
      new VoxelModel.Output("fa", 1, "fractional anisotropy"),
      new VoxelModel.Output("md", 1, "mean diffusivity (mm^2/s)"),
      new VoxelModel.Output("ad", 1, "axial diffusivity (mm^2/s)"),
      new VoxelModel.Output("rd", 1, "radial diffusivity (mm^2/s)"),
      new VoxelModel.Output("s0", 1, "fitted b0 signal"),
      new VoxelModel.Output("v1", 3, "principal eigenvector (x, y, z) in the b-vector frame"));

  /**
   * @param maxBvalue largest b-value (s/mm^2) used for the tensor; default 1500 (infinity: all)
   * @param wlsIterations weighted refits after OLS; default 1 (0 gives plain OLS)
   */
  public record Config(double maxBvalue, int wlsIterations) {
    public Config {
      BadArgumentException.require(maxBvalue > 0,
          "DTI max b-value: expected a positive value (infinity for all), found " + maxBvalue);
      BadArgumentException.require(wlsIterations >= 0 && wlsIterations <= 10,
          "DTI WLS iterations: expected 0..10, found " + wlsIterations);
    }

    public static Config defaults() {
      return new Config(1500, 1);
    }
  }

  private final GradientTable table;
  private final Config config;
  private final int[] used;
  private final double[] design; // used.length x 7, row-major
  private final double[] olsPinv; // 7 x used.length

  public DtiModel(GradientTable table, Config config) {
    this.table = table;
    this.config = config;
    int count = 0;
    for (int i = 0; i < table.size(); i++) {
      count += table.bval(i) <= config.maxBvalue() ? 1 : 0;
    }
    used = new int[count];
    for (int i = 0, k = 0; i < table.size(); i++) {
      if (table.bval(i) <= config.maxBvalue()) {
        used[k++] = i;
      }
    }
    int dw = 0;
    for (int i : used) {
      dw += table.isB0(i) ? 0 : 1;
    }
    BadArgumentException.require(used.length >= 7 && dw >= 6, "DTI: expected at least 6"
        + " diffusion-weighted volumes and 7 in all with b <= " + config.maxBvalue()
        + " s/mm^2, found " + dw + " and " + used.length + " (raise the DTI max b-value?)");
    design = new double[used.length * 7];
    for (int k = 0; k < used.length; k++) {
      double b = table.bval(used[k]);
      double[] g = table.bvec(used[k]);
      int r = k * 7;
      design[r] = 1;
      design[r + 1] = -b * g[0] * g[0];
      design[r + 2] = -2 * b * g[0] * g[1];
      design[r + 3] = -2 * b * g[0] * g[2];
      design[r + 4] = -b * g[1] * g[1];
      design[r + 5] = -2 * b * g[1] * g[2];
      design[r + 6] = -b * g[2] * g[2];
    }
    double[] xtx = new double[49];
    for (int k = 0; k < used.length; k++) {
      for (int a = 0; a < 7; a++) {
        for (int c = 0; c < 7; c++) {
          xtx[a * 7 + c] += design[k * 7 + a] * design[k * 7 + c];
        }
      }
    }
    double[] inv = SmallLinearAlgebra.invertSpd(xtx, 7);
    BadArgumentException.require(inv != null, "DTI: the gradient directions with b <= "
        + config.maxBvalue() + " do not determine a tensor; expected at least 6 non-coplanar"
        + " directions");
    olsPinv = new double[7 * used.length];
    for (int a = 0; a < 7; a++) {
      for (int k = 0; k < used.length; k++) {
        double s = 0;
        for (int c = 0; c < 7; c++) {
          s += inv[a * 7 + c] * design[k * 7 + c];
        }
        olsPinv[a * used.length + k] = s;
      }
    }
  }

  public GradientTable table() {
    return table;
  }

  public Config config() {
    return config;
  }

  /** Indices of the volumes the tensor is fitted to. */
  public int[] usedVolumes() {
    return used.clone();
  }

  @Override
  public List<Output> outputs() {
    return OUTPUTS;
  }

  /** Fits one voxel; {@code signal} has one value per volume of the table. Null if unusable. */
  public DtiFit fit(double[] signal) {
    return new Fitter().fitTensor(signal);
  }

  @Override
  public VoxelFitter newFitter() {
    return new Fitter();
  }

  /** Per-thread scratch for fitting many voxels without allocation beyond the result. */
  final class Fitter implements VoxelFitter {
    private final double[] y = new double[used.length];
    private final double[] beta = new double[7];
    private final double[] normal = new double[49];
    private final double[] rhs = new double[7];
    private final SymmetricEigen3 eigen = new SymmetricEigen3();

    @Override
    public boolean fit(double[] signal, double[] out) {
      DtiFit f = fitTensor(signal);
      if (f == null) {
        return false;
      }
      out[0] = f.fa();
      out[1] = f.md();
      out[2] = f.ad();
      out[3] = f.rd();
      out[4] = f.s0();
      System.arraycopy(f.direction(), 0, out, 5, 3);
      return true;
    }

    DtiFit fitTensor(double[] signal) {
      int m = used.length;
      double max = 0;
      for (int i : used) {
        double s = signal[i];
        if (!Double.isFinite(s)) {
          return null;
        }
        max = Math.max(max, s);
      }
      if (max <= 0) {
        return null;
      }
      double floor = 1e-4 * max;
      for (int k = 0; k < m; k++) {
        y[k] = Math.log(Math.max(signal[used[k]], floor));
      }
      for (int a = 0; a < 7; a++) {
        double s = 0;
        for (int k = 0; k < m; k++) {
          s += olsPinv[a * m + k] * y[k];
        }
        beta[a] = s;
      }
      for (int it = 0; it < config.wlsIterations(); it++) {
        java.util.Arrays.fill(normal, 0);
        java.util.Arrays.fill(rhs, 0);
        for (int k = 0; k < m; k++) {
          int r = k * 7;
          double pred = 0;
          for (int c = 0; c < 7; c++) {
            pred += design[r + c] * beta[c];
          }
          double w = Math.exp(2 * Math.min(pred, 700 / 2.0));
          for (int a = 0; a < 7; a++) {
            double wa = w * design[r + a];
            rhs[a] += wa * y[k];
            for (int c = a; c < 7; c++) {
              normal[a * 7 + c] += wa * design[r + c];
            }
          }
        }
        for (int a = 0; a < 7; a++) {
          for (int c = 0; c < a; c++) {
            normal[a * 7 + c] = normal[c * 7 + a];
          }
        }
        if (!SmallLinearAlgebra.solveSpd(normal, rhs, 7)) {
          break; // keep the OLS (or previous) estimate
        }
        System.arraycopy(rhs, 0, beta, 0, 7);
      }
      double[] d = {beta[1], beta[2], beta[3], beta[4], beta[5], beta[6]};
      for (double v : d) {
        if (!Double.isFinite(v)) {
          return null;
        }
      }
      eigen.decompose(d[0], d[1], d[2], d[3], d[4], d[5]);
      double[] ev = new double[3];
      for (int c = 0; c < 3; c++) {
        ev[c] = Math.max(0, eigen.values[c]);
      }
      double[] v1 = eigen.vector(0);
      if (v1[2] < 0) {
        v1[0] = -v1[0];
        v1[1] = -v1[1];
        v1[2] = -v1[2];
      }
      return new DtiFit(Math.exp(beta[0]), d, ev, v1);
    }
  }
}
