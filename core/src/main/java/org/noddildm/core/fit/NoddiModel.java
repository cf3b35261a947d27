package org.noddildm.core.fit;

import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.linalg.Nnls;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignalModel;
import org.noddildm.core.physics.Watson;

/**
 * NODDI (Zhang et al. 2012) fitted by linear dictionary regression in the manner of AMICO
 * (Daducci et al. 2015, NeuroImage 105:32). Per voxel:
 *
 * <ol>
 *   <li>the fibre direction mu is the principal eigenvector of a DTI fit ({@link DtiModel}) on
 *       all shells by default ({@link NoddiFitConfig#directionMaxB()});
 *   <li>the signal is divided by the mean b0, y = S / S0;
 *   <li>the weights x >= 0 of the atoms of the {@link NoddiDictionary} for mu solve
 *       {@code min ||A x - y||^2 + lambda1 sum x + lambda2 ||x||^2} ({@link Nnls});
 *   <li>with x_j on tissue atoms (v_j, ODI_j) and x_iso on the isotropic atom:
 *       <pre>
 *   NDI = sum_j x_j v_j / sum_j x_j      ODI = sum_j x_j ODI_j / sum_j x_j
 *   FWF = x_iso / (sum_j x_j + x_iso)
 *       </pre>
 *       (AMICO averages kappa; averaging ODI instead interpolates between neighbouring atoms
 *       of the ODI grid linearly, which is what recovers values between grid points).
 * </ol>
 *
 * Where the fitted tissue fraction 1 - FWF is below {@link NoddiFitConfig#minTissue()}, NDI,
 * ODI and the direction are undefined and reported as 0.
 *
 * <p>With {@link NoddiFitConfig#refine()} the estimate is polished by a bounded Nelder-Mead fit of
 * (NDI, ODI, FWF, mu) on the full nonlinear model, with S0 solved in closed form, as the NODDI
 * toolbox fits, at about 100 times the cost.
 */
public final class NoddiModel implements VoxelModel {
  /** Output maps, in order. */
  public static final List<VoxelModel.Output> OUTPUTS = List.of(
      new VoxelModel.Output("ndi", 1, "neurite density index (ICVF, v_ic)"),
      new VoxelModel.Output("odi", 1, "orientation dispersion index"),
      new VoxelModel.Output("fwf", 1, "free-water fraction (ISOVF, v_iso)"),
      new VoxelModel.Output("direction", 3, "mean fibre direction (x, y, z) in the b-vector"
          + " frame"),
      new VoxelModel.Output("fa", 1, "DTI fractional anisotropy (b <= 1500 when available)"),
      new VoxelModel.Output("md", 1, "DTI mean diffusivity, mm^2/s (b <= 1500 when available)"));

  private final GradientTable table;
  private final NoddiFitConfig config;
  private final DtiModel dti;
  private final DtiModel mapsDti;
  private final NoddiDictionary dictionary;
  private final int[] b0;

  public NoddiModel(GradientTable table, NoddiFitConfig config) {
    this.table = table;
    this.config = config;
    this.b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0, "NODDI: expected at least one b0 volume (b <= "
        + table.b0Threshold() + " s/mm^2), found none");
    BadArgumentException.require(table.shells().size() >= 2, "NODDI: expected at least two"
        + " diffusion-weighted shells (e.g. b=700 and b=2000), found " + table.shells().size()
        + " (" + table.summary() + "); fit the tensor (DTI) instead");
    this.dti = new DtiModel(table, new DtiModel.Config(config.directionMaxB(), 1));
    this.mapsDti = standardDti(table, dti);
    this.dictionary = new NoddiDictionary(table, config);
  }

  /**
   * The DTI for the FA and MD maps: the usual b <= 1500 fit when the protocol allows it (FA and
   * MD from higher shells are not comparable with the literature), else the direction fit.
   */
  private static DtiModel standardDti(GradientTable table, DtiModel directionFit) {
    DtiModel.Config standard = DtiModel.Config.defaults();
    if (directionFit.config().maxBvalue() == standard.maxBvalue()) {
      return directionFit;
    }
    try {
      return new DtiModel(table, standard);
    } catch (BadArgumentException e) {
      return directionFit;
    }
  }

  public GradientTable table() {
    return table;
  }

  public NoddiFitConfig config() {
    return config;
  }

  /** Builds the rotated kernels for every direction now rather than on first use. */
  public void prepare() {
    dictionary.buildAll();
  }

  @Override
  public List<Output> outputs() {
    return OUTPUTS;
  }

  @Override
  public VoxelFitter newFitter() {
    return new Fitter();
  }

  /** Fits one voxel (one value per volume); null if it cannot be fitted. */
  public NoddiFit fit(double[] signal) {
    return new Fitter().fitNoddi(signal, null);
  }

  /** Per-thread scratch. */
  final class Fitter implements VoxelFitter {
    private final DtiModel.Fitter tensor = dti.new Fitter();
    private final DtiModel.Fitter mapsTensor = mapsDti == dti ? tensor : mapsDti.new Fitter();
    private final int m = dictionary.volumes();
    private final int n = dictionary.atoms();
    private final double[] y = new double[m];
    private final double[] c = new double[n];
    private final double[] x = new double[n];
    private final Nnls.Workspace ws = new Nnls.Workspace(n);
    private final double[] model = new double[m];
    private final double[] scratch = new double[m];
    private double meanB0;
    private final AtomSearch search = new AtomSearch(config.odiGrid(), config.vicGrid());
    private final double[] est = new double[4];

    @Override
    public boolean fit(double[] signal, double[] out) {
      DtiFit[] tensorOut = new DtiFit[1];
      NoddiFit f = fitNoddi(signal, tensorOut);
      if (f == null) {
        return false;
      }
      out[0] = f.ndi();
      out[1] = f.odi();
      out[2] = f.fwf();
      System.arraycopy(f.direction(), 0, out, 3, 3);
      DtiFit maps = mapsDti == dti ? tensorOut[0] : mapsTensor.fitTensor(signal);
      out[6] = maps == null ? 0 : maps.fa();
      out[7] = maps == null ? 0 : maps.md();
      return true;
    }

    NoddiFit fitNoddi(double[] signal, DtiFit[] tensorOut) {
      DtiFit t = tensor.fitTensor(signal);
      if (t == null) {
        return null;
      }
      if (tensorOut != null) {
        tensorOut[0] = t;
      }
      double s0 = 0;
      for (int i : b0) {
        s0 += signal[i];
      }
      s0 /= b0.length;
      if (!(s0 > 0)) {
        return null;
      }
      meanB0 = s0;
      for (int i = 0; i < m; i++) {
        y[i] = signal[i] / s0;
      }
      double[] mu = t.direction();
      NoddiDictionary.Bin bin = dictionary.bin(
          dictionary.directions().nearest(mu[0], mu[1], mu[2]));
      project(bin.atoms(), y, m, n, c);
      NoddiFit f;
      if (config.estimator() == NoddiFitConfig.Estimator.SEARCH) {
        search.search(c, bin.diag(), bin.isoColumn(), bin.nnls(), est);
        if (!(est[3] > 0)) {
          return null;
        }
        f = new NoddiFit(est[0], est[1], est[2], s0 * est[3], mu);
      } else {
        f = amico(bin, s0, mu);
        if (f == null) {
          return null;
        }
      }
      if (config.refine()) {
        f = refine(f);
      }
      if (1 - f.fwf() < config.minTissue()) {
        f = new NoddiFit(0, 0, f.fwf(), f.s0(), new double[3]);
      }
      return f;
    }

    /** AMICO: averages of the atoms' parameters weighted by the non-negative fit. */
    private NoddiFit amico(NoddiDictionary.Bin bin, double s0, double[] mu) {
      for (int j = 0; j < n; j++) {
        c[j] -= config.lambda1(); // the L1 penalty, linear for x >= 0
      }
      bin.nnls().solve(c, x, ws);
      double tissue = 0;
      double vic = 0;
      double odi = 0;
      for (int j = 0; j < n - 1; j++) {
        if (x[j] > 0) {
          tissue += x[j];
          vic += x[j] * dictionary.vicOf(j);
          odi += x[j] * dictionary.odiOf(j);
        }
      }
      double iso = x[n - 1];
      double total = tissue + iso;
      if (!(total > 0)) {
        return null;
      }
      return new NoddiFit(tissue > 0 ? vic / tissue : 0, tissue > 0 ? odi / tissue : 0,
          iso / total, s0 * total, mu);
    }

    /** Bounded Nelder-Mead on (NDI, ODI, FWF, theta, phi) from the dictionary estimate. */
    private NoddiFit refine(NoddiFit start) {
      NoddiSignalModel sm = dictionary.signalModel();
      double[] mu = start.direction();
      double theta0 = Math.acos(Math.max(-1, Math.min(1, mu[2])));
      double phi0 = Math.atan2(mu[1], mu[0]);
      double[] p0 = {start.ndi(), clampOdi(start.odi()), start.fwf(), theta0, phi0};
      double[] lo = {0, 0.01, 0, -Double.MAX_VALUE, -Double.MAX_VALUE};
      double[] hi = {1, 0.99, 1, Double.MAX_VALUE, Double.MAX_VALUE};
      double[] step = {0.05, 0.05, 0.05, 0.1, 0.1};
      double[] best = NelderMead.minimize(p -> cost(sm, p), p0, step, lo, hi, 600, 1e-10);
      double[] dir = spherical(best[3], best[4]);
      if (dir[2] < 0) {
        dir[0] = -dir[0];
        dir[1] = -dir[1];
        dir[2] = -dir[2];
      }
      double scale = s0Scale(sm, best);
      return new NoddiFit(best[0], best[1], best[2],
          Double.isFinite(scale) ? scale * meanB0 : start.s0(), dir);
    }

    /** Residual sum of squares with the best S0 scale (s.y / s.s) in closed form. */
    private double cost(NoddiSignalModel sm, double[] p) {
      double k = s0Scale(sm, p);
      if (Double.isNaN(k)) {
        k = 0;
      }
      double r = 0;
      for (int i = 0; i < m; i++) {
        double e = y[i] - k * model[i];
        r += e * e;
      }
      return r;
    }

    /** The best S0 scale s.y / s.s of the model's signal at {@code p} (NaN for a zero signal). */
    private double s0Scale(NoddiSignalModel sm, double[] p) {
      predict(sm, p);
      double sy = 0;
      double ss = 0;
      for (int i = 0; i < m; i++) {
        sy += model[i] * y[i];
        ss += model[i] * model[i];
      }
      return ss > 0 ? sy / ss : Double.NaN;
    }

    private void predict(NoddiSignalModel sm, double[] p) {
      NoddiParams params = new NoddiParams(p[0], p[1], p[2], spherical(p[3], p[4]));
      sm.signal(params, sm.dispersion(Watson.kappaFromOdi(p[1])), model, scratch);
    }
  }

  /**
   * {@code c = A'y} for row-major {@code a} (m x n), as a sum of rows scaled by y_i: the inner
   * loop runs over contiguous atoms without a dependency between iterations, so the JIT
   * vectorises it (this product is most of the cost of a voxel).
   */
  static void project(float[] a, double[] y, int m, int n, double[] c) {
    java.util.Arrays.fill(c, 0, n, 0);
    for (int i = 0; i < m; i++) {
      double yi = y[i];
      int base = i * n;
      for (int j = 0; j < n; j++) {
        c[j] += a[base + j] * yi;
      }
    }
  }

  private static double clampOdi(double odi) {
    return Math.max(0.01, Math.min(0.99, odi));
  }

  private static double[] spherical(double theta, double phi) {
    double s = Math.sin(theta);
    return new double[] {s * Math.cos(phi), s * Math.sin(phi), Math.cos(theta)};
  }
}
