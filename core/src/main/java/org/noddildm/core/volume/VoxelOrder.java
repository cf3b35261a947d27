package org.noddildm.core.volume;

/**
 * A change of voxel order by axis permutation and flips only (no resampling): the canonical
 * order every scan is brought into before a learned model sees it, and the way back.
 *
 * <p>The canonical order is LAS, the radiological order of FSL's MNI152 template and of the
 * project's phantoms: voxel axis 0 runs towards the subject's Left (world -x), axis 1 towards
 * Anterior (+y), axis 2 towards Superior (+z). Each voxel axis of a scan is assigned to the world
 * axis it runs closest to (as {@link Affine#axisCodes}), so an oblique scan is reordered but not
 * rotated. Voxel values are copied exactly; the affine is rewritten so that every voxel keeps its
 * world position.
 *
 * <p>Gradient directions follow FSL's convention for bvec files: components along the voxel
 * axes, with the x component negated when the affine's determinant is positive (neurological
 * storage). {@link #gradients} re-expresses a table in the canonical grid's frame (negative
 * determinant, so no extra flip), which is what {@code mrconvert -strides} followed by
 * {@code -export_grad_fsl} writes for the reordered image.
 *
 * @param perm {@code perm[a]} is the source voxel axis that becomes canonical axis a
 * @param flip {@code flip[a]} is true when canonical axis a runs against its source axis
 * @param source the grid the order was computed from
 */
public record VoxelOrder(int[] perm, boolean[] flip, Grid source) {
  /** World direction (sign of world axis a) each canonical axis runs towards: L, A, S. */
  private static final int[] CANONICAL_SIGN = {-1, 1, 1};

  public VoxelOrder {
    perm = perm.clone();
    flip = flip.clone();
  }

  /** The order that brings {@code grid} to LAS. */
  public static VoxelOrder toCanonical(Grid grid) {
    Affine a = grid.affine();
    double[] sizes = a.voxelSizes();
    int[] perm = {-1, -1, -1};
    boolean[] usedAxis = new boolean[3];
    // greedy assignment by the largest normalised component, as Affine.axisCodes
    for (int pass = 0; pass < 3; pass++) {
      int bestWorld = -1;
      int bestAxis = -1;
      double best = -1;
      for (int c = 0; c < 3; c++) {
        if (usedAxis[c]) {
          continue;
        }
        for (int r = 0; r < 3; r++) {
          double v = Math.abs(a.get(r, c)) / sizes[c];
          if (perm[r] < 0 && v > best) {
            best = v;
            bestWorld = r;
            bestAxis = c;
          }
        }
      }
      perm[bestWorld] = bestAxis;
      usedAxis[bestAxis] = true;
    }
    boolean[] flip = new boolean[3];
    for (int w = 0; w < 3; w++) {
      flip[w] = Math.signum(a.get(w, perm[w])) != CANONICAL_SIGN[w];
    }
    return new VoxelOrder(perm, flip, grid);
  }

  /** True when the source is already in canonical order (nothing to do). */
  public boolean isIdentity() {
    for (int a = 0; a < 3; a++) {
      if (perm[a] != a || flip[a]) {
        return false;
      }
    }
    return true;
  }

  /** The source's order as axis codes, e.g. "RAS", for messages and provenance. */
  public String sourceCodes() {
    return source.affine().axisCodes();
  }

  /** The canonical grid: sizes permuted, affine rewritten so world positions are kept. */
  public Grid canonicalGrid() {
    return canonicalOf(source);
  }

  /**
   * The canonical counterpart of another grid with the same axis directions as the source (the
   * source's upsampled grid, say): the same permutation and flips applied to it.
   */
  public Grid canonicalOf(Grid g) {
    int[] n = {g.nx(), g.ny(), g.nz()};
    // M maps canonical voxel indices to source voxel indices: src[perm[a]] = flip ? n-1-c : c
    double[][] mm = new double[4][4];
    for (int a = 0; a < 3; a++) {
      mm[perm[a]][a] = flip[a] ? -1 : 1;
      mm[perm[a]][3] = flip[a] ? n[perm[a]] - 1 : 0;
    }
    mm[3][3] = 1;
    Affine m = Affine.of(new double[][] {mm[0], mm[1], mm[2]});
    return new Grid(n[perm[0]], n[perm[1]], n[perm[2]], g.affine().times(m));
  }

  /** A volume on a grid with the source's axis directions, in canonical order. */
  public Volume toCanonical(Volume v) {
    Grid target = canonicalOf(v.grid());
    float[] out = new float[v.data().length];
    copy(v, target, out, true);
    return new Volume(target, v.nt(), out);
  }

  /**
   * A volume in canonical order back in the order of {@code original} (a grid with the source's
   * axis directions whose canonical counterpart has the volume's shape).
   */
  public Volume fromCanonical(Volume canonical, Grid original) {
    Grid c = canonicalOf(original);
    if (c.nx() != canonical.nx() || c.ny() != canonical.ny() || c.nz() != canonical.nz()) {
      throw new IllegalArgumentException("voxel order: expected a canonical volume of "
          + c.shape() + ", found " + canonical.grid().shape());
    }
    float[] out = new float[canonical.data().length];
    copy(new Volume(original, canonical.nt(), out), canonical.grid(), canonical.data(), false);
    return new Volume(original, canonical.nt(), out);
  }

  /**
   * Copies between source order ({@code src}'s grid) and canonical order ({@code canon}'s grid):
   * into {@code buf} (canonical data) when {@code toCanonical}, else from {@code buf} into
   * {@code src}'s data.
   */
  private void copy(Volume src, Grid canon, float[] buf, boolean toCanonical) {
    int[] n = {src.nx(), src.ny(), src.nz()};
    int[] stride = {1, n[0], n[0] * n[1]};
    int ns = src.grid().size();
    int cx = canon.nx();
    int cy = canon.ny();
    int cz = canon.nz();
    float[] s = src.data();
    Parallel.forEach(cz, z -> {
      int[] c = new int[3];
      c[2] = z;
      for (int y = 0; y < cy; y++) {
        c[1] = y;
        for (int x = 0; x < cx; x++) {
          c[0] = x;
          int si = 0;
          for (int a = 0; a < 3; a++) {
            int p = perm[a];
            si += (flip[a] ? n[p] - 1 - c[a] : c[a]) * stride[p];
          }
          int ci = x + cx * (y + cy * z);
          for (int t = 0; t < src.nt(); t++) {
            if (toCanonical) {
              buf[t * ns + ci] = s[t * ns + si];
            } else {
              s[t * ns + si] = buf[t * ns + ci];
            }
          }
        }
      }
    });
  }

  /**
   * Gradient directions (one row per volume, FSL frame of the source) in the canonical grid's
   * FSL frame: each direction read in the source's voxel frame (x negated for a positive
   * determinant), permuted and flipped with the axes. The canonical grid is LAS (negative
   * determinant), so its FSL frame is its voxel frame.
   */
  public double[][] bvecs(double[][] g) {
    boolean neurological = source.affine().determinant() > 0;
    double[][] out = new double[g.length][3];
    for (int i = 0; i < g.length; i++) {
      double[] v = g[i].clone();
      if (neurological) {
        v[0] = -v[0];
      }
      for (int a = 0; a < 3; a++) {
        double c = v[perm[a]];
        out[i][a] = (flip[a] ? -c : c) + 0.0; // + 0.0: no negative zeros in the bvec file
      }
    }
    return out;
  }
}
