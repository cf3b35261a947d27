package org.noddildm.core.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatureSpec;

class ProtocolVariationTest {
  @Test
  void drawsStayInTheirRangesAndKeepTwoDetectableShells() {
    ProtocolVariation v = ProtocolVariation.defaults();
    ShellFeatureSpec model = new ShellFeatureSpec(new double[] {1000, 2000}, 4, 0.006, 100);
    for (long seed = 0; seed < 30; seed++) {
      ProtocolVariation.Draw d = v.draw(new SplittableRandom(seed));
      GradientTable t = d.table();
      int b0 = t.size();
      List<GradientTable.Shell> shells = t.shells();
      assertEquals(2, shells.size(), t.summary());
      for (int s = 0; s < 2; s++) {
        int n = shells.get(s).indices().length;
        b0 -= n;
        assertTrue(n >= 20 && n <= 90, "directions " + n);
        assertEquals(1000 * (s + 1), shells.get(s).bvalue(), 45, t.summary());
        for (int i : shells.get(s).indices()) {
          double b = t.bvals()[i];
          assertTrue(Math.abs(b - 1000 * (s + 1)) <= 45, "b-value " + b);
        }
      }
      assertTrue(b0 >= 1 && b0 <= 10, "b0 volumes " + b0);
      assertTrue(d.snr() >= 15 && d.snr() <= 40, "SNR " + d.snr());
      model.match(t); // a model trained on 1000/2000 accepts every draw
    }
  }

  @Test
  void theSameSeedGivesTheSameProtocolAndDirectionsStayWellSpread() {
    ProtocolVariation v = ProtocolVariation.defaults();
    ProtocolVariation.Draw a = v.draw(new SplittableRandom(7));
    ProtocolVariation.Draw b = v.draw(new SplittableRandom(7));
    assertArrayEquals(a.table().bvals(), b.table().bvals());
    assertEquals(a.snr(), b.snr());
    assertFalse(java.util.Arrays.equals(a.table().bvals(),
        v.draw(new SplittableRandom(8)).table().bvals()));
    GradientTable.Shell shell = a.table().shells().get(1);
    double[][] dirs = new double[shell.indices().length][];
    for (int k = 0; k < dirs.length; k++) {
      dirs[k] = a.table().bvecs()[shell.indices()[k]];
    }
    double expected = Directions.minAngleDegrees(Directions.electrostatic(dirs.length));
    assertEquals(expected, Directions.minAngleDegrees(dirs), 1e-6); // a rotation keeps angles
  }

  @Test
  void shellsTooCloseToTellApartAreRefused() {
    assertThrows(BadArgumentException.class, () -> new ProtocolVariation(1, 10,
        new double[] {1000, 1150}, 0.05, 20, 90, 15, 40));
  }
}
