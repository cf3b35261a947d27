package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

class DtiModelTest {
  private static final GradientTable TABLE = FitSimulation.shells(3, new double[] {1000, 2500},
      new int[] {30, 30});

  /** Signal of the tensor with eigenvalues l1 > l2 = l3 along unit n. */
  private static double[] tensorSignal(double s0, double l1, double l2, double[] n) {
    double[] s = new double[TABLE.size()];
    for (int i = 0; i < s.length; i++) {
      double[] g = TABLE.bvec(i);
      double c = g[0] * n[0] + g[1] * n[1] + g[2] * n[2];
      s[i] = s0 * Math.exp(-TABLE.bval(i) * (l2 + (l1 - l2) * c * c));
    }
    return s;
  }

  @Test
  void recoversKnownTensorFromNoiselessSignal() {
    double[] n = {0.6, 0, 0.8};
    DtiModel model = new DtiModel(TABLE, DtiModel.Config.defaults());
    DtiFit f = model.fit(tensorSignal(800, 1.7e-3, 0.3e-3, n));
    assertNotNull(f);
    assertEquals(800, f.s0(), 1e-6);
    assertEquals(1.7e-3, f.ad(), 1e-9);
    assertEquals(0.3e-3, f.rd(), 1e-9);
    assertEquals((1.7e-3 + 0.6e-3) / 3, f.md(), 1e-9);
    double fa = Math.sqrt(0.5 * (2 * 1.4e-3 * 1.4e-3) / (1.7e-3 * 1.7e-3 + 2 * 0.09e-6));
    assertEquals(fa, f.fa(), 1e-6);
    double[] d = f.direction();
    assertEquals(1, Math.abs(d[0] * n[0] + d[1] * n[1] + d[2] * n[2]), 1e-9);
    assertEquals(3 + 30, model.usedVolumes().length, "b0s and the b=1000 shell");
  }

  @Test
  void survivesZeroAndNegativeSignalsWithFiniteMaps() {
    DtiModel model = new DtiModel(TABLE, DtiModel.Config.defaults());
    double[] s = tensorSignal(500, 2.5e-3, 0.2e-3, new double[] {0, 1, 0});
    s[5] = 0;
    s[6] = -12;
    s[7] = 0;
    DtiFit f = model.fit(s);
    assertNotNull(f);
    assertTrue(f.fa() >= 0 && f.fa() <= 1);
    assertTrue(Double.isFinite(f.md()) && f.md() >= 0);
    assertTrue(Math.abs(f.direction()[1]) > 0.95, "direction still found");
  }

  @Test
  void returnsNullForAnAllZeroOrNonFiniteVoxel() {
    DtiModel model = new DtiModel(TABLE, DtiModel.Config.defaults());
    assertEquals(null, model.fit(new double[TABLE.size()]));
    double[] s = tensorSignal(500, 1e-3, 1e-3, new double[] {1, 0, 0});
    s[4] = Double.NaN;
    assertEquals(null, model.fit(s));
  }

  @Test
  void rejectsCoplanarDirectionsThatCannotDetermineATensor() {
    double[] b = new double[13];
    double[][] g = new double[13][];
    g[0] = new double[3];
    for (int k = 1; k < 13; k++) {
      double phi = Math.PI * k / 12;
      b[k] = 1000;
      g[k] = new double[] {Math.cos(phi), Math.sin(phi), 0};
    }
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> new DtiModel(GradientTable.of(b, g), DtiModel.Config.defaults()));
    assertTrue(e.getMessage().contains("non-coplanar"), e.getMessage());
  }

  @Test
  void rejectsProtocolsWithoutEnoughLowBDirections() {
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> new DtiModel(TABLE, new DtiModel.Config(500, 1)));
    assertTrue(e.getMessage().contains("expected at least 6"), e.getMessage());
  }
}
