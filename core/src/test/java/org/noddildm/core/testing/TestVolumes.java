package org.noddildm.core.testing;

import java.util.SplittableRandom;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/** Small seeded volumes for tests. */
public final class TestVolumes {
  private TestVolumes() {}

  /** An oblique, anisotropic affine: a rotation about z and x, voxels 1.25 x 1.5 x 2 mm. */
  public static Affine obliqueAffine() {
    double c = Math.cos(0.3);
    double s = Math.sin(0.3);
    double c2 = Math.cos(-0.2);
    double s2 = Math.sin(-0.2);
    // R = Rz(0.3) * Rx(-0.2), then scaled per column.
    double[][] r = {
      {c, -s * c2, s * s2},
      {s, c * c2, -c * s2},
      {0, s2, c2}
    };
    double[] vox = {1.25, 1.5, 2.0};
    double[][] m = new double[3][4];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = r[i][j] * vox[j];
      }
    }
    m[0][3] = -80.5;
    m[1][3] = -112.25;
    m[2][3] = -60;
    return Affine.of(m);
  }

  /** Random values a type holds exactly in float: integers within its range (clipped to 2^24). */
  public static Volume random(Grid g, int nt, NiftiDataType t, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[g.size() * nt];
    double lo = Math.max(t.min, -(1 << 24));
    double hi = Math.min(t.max, 1 << 24);
    for (int i = 0; i < d.length; i++) {
      d[i] = t.isInteger()
          ? (float) Math.floor(lo + rng.nextDouble() * (hi - lo + 1))
          : (float) (rng.nextGaussian() * 1000);
    }
    return new Volume(g, nt, d);
  }
}
