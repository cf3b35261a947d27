package org.noddildm.core.fit;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.linalg.Nnls;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.NoddiSignalModel;
import org.noddildm.core.physics.Watson;

/**
 * The AMICO dictionary for NODDI (Daducci et al. 2015, NeuroImage 105:32, section 2.3): for a
 * fibre direction mu, one column (atom) per pair (v_ic, kappa) of the grids holding the tissue
 * signal {@code v_ic E_ic(kappa) + (1 - v_ic) E_ec(kappa, v_ic)} of the NODDI model on the
 * protocol, plus one isotropic column {@code E_iso = exp(-b d_iso)}. A voxel's b0-normalised
 * signal y is then approximately {@code A x} with x >= 0, a linear problem.
 *
 * <p>The fibre direction comes from DTI and is snapped to the nearest of a fixed set of
 * hemisphere directions; each direction's matrix and Gram matrix are built the first time a
 * voxel needs them and then shared by all threads (AMICO's look-up tables of rotated kernels).
 */
final class NoddiDictionary {
  private final NoddiFitConfig config;
  private final NoddiSignalModel model;
  private final HemisphereDirections directions;
  private final NoddiSignalModel.Dispersion[] dispersions;
  private final double[] atomVic;
  private final double[] atomOdi;
  private final int m;
  private final int n;
  private final AtomicReferenceArray<Bin> bins;

  /**
   * The dictionary of one direction.
   *
   * @param atoms the matrix, row-major: {@code atoms[i * n + j]} is atom j at volume i
   * @param nnls solver holding the Gram matrix {@code G = A'A + lambda2 I}
   * @param diag the diagonal of G
   * @param isoColumn the last (isotropic) column of G
   */
  record Bin(float[] atoms, Nnls nnls, double[] diag, double[] isoColumn) {}

  NoddiDictionary(GradientTable table, NoddiFitConfig config) {
    this.config = config;
    this.model = new NoddiSignalModel(table, new Diffusivities(config.dPar(), config.dIso()));
    this.directions = new HemisphereDirections(config.directions());
    double[] odi = config.odiGrid();
    double[] vic = config.vicGrid();
    this.dispersions = new NoddiSignalModel.Dispersion[odi.length];
    for (int o = 0; o < odi.length; o++) {
      dispersions[o] = model.dispersion(Watson.kappaFromOdi(odi[o]));
    }
    this.m = table.size();
    this.n = odi.length * vic.length + 1;
    this.atomVic = new double[n - 1];
    this.atomOdi = new double[n - 1];
    for (int o = 0, j = 0; o < odi.length; o++) {
      for (int v = 0; v < vic.length; v++, j++) {
        atomOdi[j] = odi[o];
        atomVic[j] = vic[v];
      }
    }
    this.bins = new AtomicReferenceArray<>(directions.size());
  }

  /** Number of volumes (rows). */
  int volumes() {
    return m;
  }

  /** Number of atoms (columns): the tissue atoms, then the isotropic one last. */
  int atoms() {
    return n;
  }

  double vicOf(int atom) {
    return atomVic[atom];
  }

  double odiOf(int atom) {
    return atomOdi[atom];
  }

  HemisphereDirections directions() {
    return directions;
  }

  NoddiSignalModel signalModel() {
    return model;
  }

  /** The dictionary for direction k, built on first use. */
  Bin bin(int k) {
    Bin b = bins.get(k);
    if (b == null) {
      b = build(directions.direction(k));
      if (!bins.compareAndSet(k, null, b)) {
        b = bins.get(k);
      }
    }
    return b;
  }

  /** Builds every direction's dictionary now, in parallel (for timing and large fits). */
  void buildAll() {
    org.noddildm.core.volume.Parallel.forEach(directions.size(), this::bin);
  }

  /** The matrix (m x n, row-major, double) for an arbitrary direction. */
  double[] matrix(double[] mu) {
    double[] a = new double[m * n];
    double[] ic = new double[m];
    double[] ec = new double[m];
    double[] vic = config.vicGrid();
    for (int o = 0; o < dispersions.length; o++) {
      model.intraCellular(mu, dispersions[o], ic);
      for (int v = 0; v < vic.length; v++) {
        model.extraCellular(mu, dispersions[o], vic[v], ec);
        int j = o * vic.length + v;
        for (int i = 0; i < m; i++) {
          a[i * n + j] = vic[v] * ic[i] + (1 - vic[v]) * ec[i];
        }
      }
    }
    double[] iso = model.freeWater();
    for (int i = 0; i < m; i++) {
      a[i * n + n - 1] = iso[i];
    }
    return a;
  }

  private Bin build(double[] mu) {
    double[] a = matrix(mu);
    float[] at = new float[n * m];
    double meanNorm2 = 0;
    for (int k = 0; k < at.length; k++) {
      at[k] = (float) a[k];
      meanNorm2 += a[k] * a[k];
    }
    meanNorm2 /= n;
    float[] gram = Nnls.gram(a, m, n, config.lambda2() * meanNorm2);
    double[] diag = new double[n];
    double[] isoColumn = new double[n];
    for (int j = 0; j < n; j++) {
      diag[j] = gram[j * n + j];
      isoColumn[j] = gram[j * n + n - 1];
    }
    return new Bin(at, new Nnls(gram, n), diag, isoColumn);
  }
}
