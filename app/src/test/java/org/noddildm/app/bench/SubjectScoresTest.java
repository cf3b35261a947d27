package org.noddildm.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class SubjectScoresTest {
  @Test
  void coverageIsOfTheIntervalWrittenNotOfTheSd() {
    Grid g = Grid.of(8, 8, 8, 1);
    int n = g.size();
    float[] truth = new float[3 * n];
    float[] pred = new float[3 * n];
    for (int i = 0; i < n; i++) {
      truth[i] = 0.6f;
      truth[n + i] = 0.3f;
      truth[2 * n + i] = 0.1f;
      pred[i] = 0.5f; // NDI off by 0.1 everywhere
      pred[n + i] = 0.3f;
      pred[2 * n + i] = 0.1f;
    }
    Phantom ph = new Phantom(new Volume(g, 3, truth), Volume.zeros(g, 3), Volume.zeros(g, 1),
        Mask.all(g), Volume.zeros(g, 1), 1);
    Volume p = new Volume(g, 3, pred);
    Volume sd = new Volume(g, 3, filled(3 * n, 0.01f)); // +-1.645 sd misses NDI's 0.1
    Volume lower = new Volume(g, 3, filled(3 * n, 0f));
    Volume upper = new Volume(g, 3, filled(3 * n, 1f));
    assertEquals(0.0, SubjectScores.of(p, sd, null, null, ph, null).uncertainty()[2][0], 0.0);
    assertEquals(1.0, SubjectScores.of(p, sd, lower, upper, ph, null).uncertainty()[2][0], 0.0);
  }

  @Test
  void theRimOutsideTheGivenBrainIsItsOwnShareAndLeftOutOfTheSd() {
    Grid g = Grid.of(8, 8, 8, 1);
    int n = g.size();
    float[] truth = new float[3 * n];
    float[] pred = new float[3 * n];
    float[] sdv = new float[3 * n];
    boolean[] given = new boolean[n];
    for (int i = 0; i < n; i++) {
      given[i] = i % 8 != 0; // one slab of x outside the scan's brain: 1/8 of the voxels
      truth[2 * n + i] = given[i] ? 0.2f : 1f;
      pred[2 * n + i] = given[i] ? 0.1f : 0f; // inside off by 0.1, outside by 1 (written 0)
      sdv[2 * n + i] = given[i] ? 0.1f : 0f;
      truth[i] = 0.5f;
      pred[i] = 0.5f;
      truth[n + i] = 0.5f;
      pred[n + i] = 0.5f;
    }
    Phantom ph = new Phantom(new Volume(g, 3, truth), Volume.zeros(g, 3), Volume.zeros(g, 1),
        Mask.all(g), Volume.zeros(g, 1), 1);
    Mask scan = new Mask(g, given);
    SubjectScores s = SubjectScores.of(new Volume(g, 3, pred), new Volume(g, 3, sdv), null,
        null, ph, scan);
    // squared error: 7/8 * 0.01 inside, 1/8 * 1 outside
    assertEquals(0.125 / (0.125 + 0.875 * 0.01), s.rim()[2], 1e-6);
    assertEquals(0.0, s.rim()[0], 0.0);
    assertEquals(20.0, s.psnrGiven()[2], 1e-4); // MSE 0.01 where estimated
    // where an estimate exists the sd is the error exactly
    assertEquals(1.0, s.uncertainty()[0][2], 1e-6);
    // over the whole true brain it would not be
    SubjectScores all = SubjectScores.of(new Volume(g, 3, pred), new Volume(g, 3, sdv), null,
        null, ph, null);
    assertEquals(0.0, all.rim()[2], 0.0);
    assertEquals(Math.sqrt(0.875 * 0.01 / (0.875 * 0.01 + 0.125)), all.uncertainty()[0][2],
        1e-6);
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }
}
