package org.noddildm.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatureSpec;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

class DwiConditionTest {
  /** b0 + 6 directions at b=1000, signal exp(-b D g.g) with a voxel-dependent tensor. */
  private static Volume scan(Grid g, double[][] dirs, SplittableRandom r) {
    Volume v = Volume.zeros(g, dirs.length + 1);
    for (int i = 0; i < g.size(); i++) {
      double s0 = 800 + 400 * r.nextDouble();
      double dx = 1e-3 + 1e-3 * r.nextDouble();
      v.data()[i] = (float) s0;
      for (int k = 0; k < dirs.length; k++) {
        double[] d = dirs[k];
        double adc = dx * d[0] * d[0] + 0.4e-3 * (d[1] * d[1] + d[2] * d[2]);
        v.data()[(k + 1) * g.size() + i] = (float) (s0 * Math.exp(-1000 * adc));
      }
    }
    return v;
  }

  private static final double[][] DIRS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1},
      {0.7071, 0.7071, 0}, {0.7071, 0, 0.7071}, {0, 0.7071, 0.7071}};

  private static GradientTable table(double[][] dirs, double b) {
    double[] bvals = new double[dirs.length + 1];
    double[][] bvecs = new double[dirs.length + 1][];
    bvecs[0] = new double[] {0, 0, 0};
    for (int k = 0; k < dirs.length; k++) {
      bvals[k + 1] = b;
      bvecs[k + 1] = dirs[k];
    }
    return GradientTable.of(bvals, bvecs);
  }

  @Test
  void featuresLieOnTheHighResGridAndIgnoreTheDirectionOrder() {
    Grid lo = new Grid(6, 4, 3, Affine.of(new double[][] {{-2.5, 0, 0, 10}, {0, 2.5, 0, -4},
        {0, 0, 2.5, 1}, {0, 0, 0, 1}}));
    Volume v = scan(lo, DIRS, new SplittableRandom(1));
    GradientTable t = table(DIRS, 1000);
    DwiCondition c = new DwiCondition(ShellFeatureSpec.of(t), 2);
    Volume f = c.features(v, t);
    assertEquals(VolumeOps.upsampledGrid(lo, 2), f.grid());
    assertEquals(1 + 15, f.nt());
    // the same scan with its directions in reverse order
    double[][] rev = new double[DIRS.length][];
    Volume w = Volume.zeros(lo, v.nt());
    System.arraycopy(v.data(), 0, w.data(), 0, lo.size());
    for (int k = 0; k < DIRS.length; k++) {
      rev[k] = DIRS[DIRS.length - 1 - k];
      System.arraycopy(v.data(), (DIRS.length - k) * lo.size(), w.data(), (k + 1) * lo.size(),
          lo.size());
    }
    assertArrayEquals(f.data(), c.features(w, table(rev, 1000)).data(), 1e-4f);
  }

  @Test
  void aScanWithoutTheModelsShellsIsRefusedNamingThem() {
    Grid lo = Grid.of(4, 4, 4, 2.5);
    GradientTable t = table(DIRS, 1000);
    DwiCondition c = new DwiCondition(ShellFeatureSpec.of(t), 2);
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> c.features(
        scan(lo, DIRS, new SplittableRandom(2)), table(DIRS, 3000)));
    assertTrue(e.getMessage().contains("the model expects shells b=1000"), e.getMessage());
  }

  @Test
  void theSpecAndFactorRoundTripThroughModelJson() {
    DwiCondition c = new DwiCondition(new ShellFeatureSpec(new double[] {1000, 2000}, 4, 0.006,
        100), 2);
    JsonObject meta = new JsonObject();
    c.writeTo(meta);
    assertEquals(c, DwiCondition.readFrom(meta, Path.of("m")));
    BadFileException e = assertThrows(BadFileException.class,
        () -> DwiCondition.readFrom(new JsonObject(), Path.of("old-model")));
    assertTrue(e.getMessage().contains("retrain it"), e.getMessage());
  }
}
