package org.noddildm.core.physics;

import java.util.HashMap;
import java.util.Map;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

/**
 * The NODDI signal (Zhang et al. 2012, NeuroImage 61:1000, eq. 1) for one acquisition protocol,
 * with everything that depends only on the protocol computed once, so that many voxels (a
 * phantom, a fitting grid of kernels) are cheap:
 *
 * <pre>
 *   S / S0 = (1 - v_iso) (v_ic E_ic + (1 - v_ic) E_ec) + v_iso E_iso
 *   E_ic(g) = integral f(n) exp(-b d_par (g . n)^2) dn
 *           = sum_{l even} a_l(b d_par) w_l(kappa) P_l(g . mu)        (Funk-Hecke)
 *   E_ec(g) = exp(-b g^T D_ec g),  D_ec = d_perp I + (d_par - d_perp) &lt;n n^T&gt;_f,
 *             d_perp = d_par (1 - v_ic)                               (tortuosity)
 *           = exp(-b [d_perp + (d_par - d_perp)(m c^2 + (1 - m)(1 - c^2) / 2)]),
 *             c = g . mu,  m = &lt;(mu . n)^2&gt;_f
 *   E_iso   = exp(-b d_iso)
 * </pre>
 *
 * f is the {@link Watson} distribution, a_l the {@link StickKernel} coefficients (one set per
 * distinct b-value, shared by the volumes of a shell), w_l the Watson moments. As in the NODDI
 * toolbox and AMICO, the extra-cellular tensor is the Watson average of the tensor, not of the
 * signal. The series is summed to the terms above the rounding floor, so the result
 * matches direct quadrature on the sphere to rounding (see the tests).
 */
public final class NoddiSignalModel {
  private final double[] bvals;
  private final double[][] bvecs;
  private final Diffusivities d;
  private final double[][] stick;
  private final int maxTerms;
  private final double[] freeWater;

  /** The model for a gradient table and the diffusivities. */
  public NoddiSignalModel(GradientTable table, Diffusivities d) {
    this(table.bvals(), table.bvecs(), d);
  }

  /** The model for raw b-values (s/mm^2) and unit gradient directions (n x 3). */
  public NoddiSignalModel(double[] bvals, double[][] bvecs, Diffusivities d) {
    BadArgumentException.require(bvals.length == bvecs.length, "signal model: expected as many"
        + " directions as b-values (" + bvals.length + "), found " + bvecs.length);
    this.bvals = bvals.clone();
    this.bvecs = new double[bvecs.length][];
    this.d = d;
    this.stick = new double[bvals.length][];
    this.freeWater = new double[bvals.length];
    Map<Double, double[]> cache = new HashMap<>();
    int most = 1;
    for (int i = 0; i < bvals.length; i++) {
      BadArgumentException.require(bvecs[i].length == 3,
          "direction " + i + ": expected 3 components, found " + bvecs[i].length);
      this.bvecs[i] = bvecs[i].clone();
      double x = bvals[i] * d.dPar();
      stick[i] = cache.computeIfAbsent(x, StickKernel::evenCoefficients);
      most = Math.max(most, stick[i].length);
      freeWater[i] = Math.exp(-bvals[i] * d.dIso());
    }
    this.maxTerms = most;
  }

  /** Number of volumes the model predicts. */
  public int volumes() {
    return bvals.length;
  }

  public Diffusivities diffusivities() {
    return d;
  }

  /**
   * The Watson quantities for one concentration, reusable for any direction and v_ic.
   *
   * @param kappa the concentration
   * @param moments even Legendre moments w_0, w_2, ... (as many as the protocol needs)
   * @param second &lt;(mu . n)^2&gt;
   */
  public record Dispersion(double kappa, double[] moments, double second) {}

  /** Precomputes the Watson moments for kappa (0 to infinity). */
  public Dispersion dispersion(double kappa) {
    double[] w = Watson.evenMoments(kappa, Math.max(2, maxTerms));
    return new Dispersion(kappa, w, (1 + 2 * w[1]) / 3);
  }

  /** E_ic for every volume, written to out. */
  public void intraCellular(double[] mu, Dispersion f, double[] out) {
    double[] w = f.moments;
    double[] c = new double[maxTerms];
    boolean single = Double.isInfinite(f.kappa);
    double[] last = null;
    int terms = 0;
    for (int i = 0; i < bvals.length; i++) {
      double cos = dot(bvecs[i], mu);
      if (single) {
        out[i] = Math.exp(-bvals[i] * d.dPar() * cos * cos);
        continue;
      }
      double[] a = stick[i];
      if (a != last) {
        terms = a.length;
        for (int k = 0; k < terms; k++) {
          c[k] = a[k] * w[k];
        }
        while (terms > 1 && Math.abs(c[terms - 1]) < StickKernel.CUTOFF) {
          terms--;
        }
        last = a;
      }
      out[i] = Legendre.evenSeries(c, terms, cos);
    }
  }

  /** E_ec for every volume, written to out. */
  public void extraCellular(double[] mu, Dispersion f, double vic, double[] out) {
    double dPerp = d.dPar() * (1 - vic);
    double delta = d.dPar() - dPerp;
    double m = f.second;
    for (int i = 0; i < bvals.length; i++) {
      double cos = dot(bvecs[i], mu);
      double c2 = cos * cos;
      double adc = dPerp + delta * (m * c2 + (1 - m) * (1 - c2) / 2);
      out[i] = Math.exp(-bvals[i] * adc);
    }
  }

  /** E_iso = exp(-b d_iso) per volume, a copy. */
  public double[] freeWater() {
    return freeWater.clone();
  }

  /** S/S0 for every volume. */
  public double[] signal(NoddiParams p) {
    double[] out = new double[bvals.length];
    signal(p, dispersion(p.kappa()), out, new double[bvals.length]);
    return out;
  }

  /**
   * S/S0 into {@code out}, with the Watson moments given (compute them once per kappa) and a
   * scratch array of the same length, so a loop over voxels allocates nothing.
   */
  public void signal(NoddiParams p, Dispersion f, double[] out, double[] scratch) {
    double[] mu = p.direction();
    double vic = p.ndi();
    double viso = p.fwf();
    intraCellular(mu, f, out);
    extraCellular(mu, f, vic, scratch);
    for (int i = 0; i < out.length; i++) {
      double tissue = vic * out[i] + (1 - vic) * scratch[i];
      out[i] = (1 - viso) * tissue + viso * freeWater[i];
    }
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
