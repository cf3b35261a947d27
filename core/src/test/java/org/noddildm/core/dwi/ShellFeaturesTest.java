package org.noddildm.core.dwi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class ShellFeaturesTest {
  /** Points spread over the sphere on a Fibonacci spiral. */
  static double[][] fibonacci(int n, double twist) {
    double[][] out = new double[n][];
    double golden = Math.PI * (3 - Math.sqrt(5));
    for (int i = 0; i < n; i++) {
      double z = 1 - 2 * (i + 0.5) / n;
      double r = Math.sqrt(1 - z * z);
      double phi = golden * i + twist;
      out[i] = new double[] {r * Math.cos(phi), r * Math.sin(phi), z};
    }
    return out;
  }

  @Test
  void basisIsOrthonormalOnTheSphere() {
    double[][] pts = fibonacci(20000, 0);
    int c = SphericalHarmonics.count(6);
    double[][] gram = new double[c][c];
    for (double[] p : pts) {
      double[] y = SphericalHarmonics.basis(6, p[0], p[1], p[2]);
      for (int a = 0; a < c; a++) {
        for (int b = 0; b < c; b++) {
          gram[a][b] += y[a] * y[b] * 4 * Math.PI / pts.length;
        }
      }
    }
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        assertEquals(a == b ? 1 : 0, gram[a][b], 2e-3, "entry " + a + "," + b);
      }
    }
  }

  @Test
  void bandLimitedSignalGivesTheSameCoefficientsFromAnyDirectionSet() {
    SplittableRandom rng = new SplittableRandom(5);
    double[] coef = new double[15];
    for (int i = 0; i < coef.length; i++) {
      coef[i] = rng.nextGaussian();
    }
    for (double[][] dirs : new double[][][] {fibonacci(30, 0), fibonacci(45, 1.3),
        fibonacci(60, 2.1)}) {
      double[] samples = new double[dirs.length];
      for (int i = 0; i < dirs.length; i++) {
        double[] y = SphericalHarmonics.basis(4, dirs[i][0], dirs[i][1], dirs[i][2]);
        for (int k = 0; k < 15; k++) {
          samples[i] += coef[k] * y[k];
        }
      }
      double[][] f = SphericalHarmonics.fitMatrix(4, dirs, 0);
      for (int k = 0; k < 15; k++) {
        double got = 0;
        for (int i = 0; i < dirs.length; i++) {
          got += f[k][i] * samples[i];
        }
        assertEquals(coef[k], got, 1e-9);
      }
    }
  }

  private static Volume tensorDwi(GradientTable g, Grid grid) {
    Volume v = Volume.zeros(grid, g.size());
    for (int i = 0; i < grid.size(); i++) {
      double angle = 0.4 * i;
      double[] e1 = {Math.cos(angle), Math.sin(angle), 0.3};
      double norm = Math.sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
      for (int t = 0; t < g.size(); t++) {
        double[] d = g.bvec(t);
        double c = (d[0] * e1[0] + d[1] * e1[1] + d[2] * e1[2]) / norm;
        double adc = 0.4e-3 + 1.3e-3 * c * c;
        v.data()[i + t * grid.size()] = (float) (800 * Math.exp(-g.bval(t) * adc));
      }
    }
    return v;
  }

  private static GradientTable protocol(int perShell, double twist, boolean reversed) {
    int n = 2 + 2 * perShell;
    double[] b = new double[n];
    double[][] g = new double[n][];
    double[][] d1 = fibonacci(perShell, twist);
    double[][] d2 = fibonacci(perShell, twist + 0.7);
    int k = 0;
    b[k] = 0;
    g[k++] = new double[3];
    for (int i = 0; i < perShell; i++) {
      int j = reversed ? perShell - 1 - i : i;
      b[k] = 1000 + (i % 3) * 5;
      g[k++] = d1[j];
      b[k] = 2000;
      g[k++] = d2[j];
    }
    b[k] = 5;
    g[k] = new double[3];
    return GradientTable.of(b, g);
  }

  @Test
  void featuresDoNotDependOnDirectionOrderOrCount() {
    Grid grid = Grid.of(4, 2, 1, 2);
    GradientTable a = protocol(30, 0, false);
    GradientTable b = protocol(64, 0.9, true);
    ShellFeatureSpec spec = ShellFeatureSpec.of(a);
    assertEquals(31, spec.channels());
    Volume fa = ShellFeatures.compute(tensorDwi(a, grid), a, spec, 800);
    Volume fb = ShellFeatures.compute(tensorDwi(b, grid), b, spec, 800);
    // Signal content above order 4 aliases differently into the two direction sets, so the
    // features agree to a few hundredths (coefficients are up to about 1), not exactly.
    for (int ch = 0; ch < spec.channels(); ch++) {
      for (int i = 0; i < grid.size(); i++) {
        assertEquals(fa.at(i, ch), fb.at(i, ch), 0.03, "channel " + ch + " voxel " + i);
      }
    }
    assertEquals(1.0, fa.at(0, 0), 2e-3, "S0 channel is S0 / scale (mean of b=0 and b=5)");
  }

  @Test
  void missingShellIsAnErrorNamingTheExpectedShells() {
    GradientTable a = protocol(30, 0, false);
    GradientTable only1000 = a.select(java.util.stream.IntStream.range(0, a.size())
        .filter(i -> a.bval(i) < 1500).toArray());
    Grid grid = Grid.of(2, 1, 1, 2);
    BadArgumentException e = assertThrows(BadArgumentException.class, () ->
        ShellFeatures.compute(Volume.zeros(grid, only1000.size()), only1000,
            ShellFeatureSpec.of(a), 1));
    assertTrue(e.getMessage().contains("expects shells b=1005, b=2000")
        && e.getMessage().contains("found b0 x 2, b=1005 x 30"),
        e.getMessage());
  }

  @Test
  void robustScaleIsTheBrightEndOfTheB0() {
    GradientTable a = protocol(30, 0, false);
    Grid grid = Grid.of(4, 2, 1, 2);
    // The mean of the b=0 and b=5 volumes of S0 = 800.
    assertEquals(800, ShellFeatures.robustS0Scale(tensorDwi(a, grid), a), 1.0);
  }
}
