package org.noddildm.core.physics.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;

class BrainPhantomTest {
  private static final Phantom P = BrainPhantom.generate(PhantomConfig.cube(32, 2.5, 7));

  @Test
  void sameSeedGivesIdenticalPhantom() {
    Phantom again = BrainPhantom.generate(PhantomConfig.cube(32, 2.5, 7));
    assertArrayEquals(P.maps().data(), again.maps().data());
    assertArrayEquals(P.direction().data(), again.direction().data());
    assertArrayEquals(P.labels().data(), again.labels().data());
  }

  @Test
  void differentSeedsGiveVisiblyDifferentSubjects() {
    Phantom other = BrainPhantom.generate(PhantomConfig.cube(32, 2.5, 8));
    int differ = 0;
    int brain = 0;
    for (int i = 0; i < P.grid().size(); i++) {
      if (P.mask().contains(i) || other.mask().contains(i)) {
        brain++;
        differ += P.labels().at(i, 0) != other.labels().at(i, 0) ? 1 : 0;
      }
    }
    assertTrue(differ > 0.08 * brain, differ + " of " + brain + " labels differ");
  }

  @Test
  void everyTissueIsPresentWithRealisticParameters() {
    List<List<Integer>> byTissue = new ArrayList<>();
    for (int t = 0; t < Tissue.COUNT; t++) {
      byTissue.add(new ArrayList<>());
    }
    for (int i = 0; i < P.grid().size(); i++) {
      byTissue.get((int) P.labels().at(i, 0)).add(i);
      for (int k = 0; k < 3; k++) {
        float v = P.maps().at(i, k);
        assertTrue(v >= 0 && v <= 1, "map " + k + " voxel " + i + " = " + v);
      }
      assertEquals(P.mask().contains(i), P.labels().at(i, 0) != Tissue.BACKGROUND);
    }
    for (int t = 1; t < Tissue.COUNT; t++) {
      assertTrue(byTissue.get(t).size() > 20, Tissue.name(t) + ": " + byTissue.get(t).size());
    }
    assertRange(median(byTissue.get(Tissue.WM), 0), 0.55, 0.8, "WM NDI");
    assertRange(median(byTissue.get(Tissue.WM), 1), 0.05, 0.35, "WM ODI");
    assertRange(median(byTissue.get(Tissue.WM), 2), 0.0, 0.1, "WM FWF");
    assertRange(median(byTissue.get(Tissue.GM), 0), 0.3, 0.55, "GM NDI");
    assertRange(median(byTissue.get(Tissue.GM), 1), 0.4, 0.7, "GM ODI");
    assertRange(median(byTissue.get(Tissue.DEEP_GM), 0), 0.4, 0.6, "deep GM NDI");
    // CSF voxels at 2.5 mm are often partial volume; the purer half is free water
    assertRange(median(byTissue.get(Tissue.CSF), 2), 0.75, 1.0, "CSF FWF");
    assertRange(quantile(byTissue.get(Tissue.CSF), 2, 0.75), 0.97, 1.0, "CSF FWF (75th pct)");
  }

  @Test
  void tissueVoxelsHaveUnitFibreDirections() {
    for (int i = 0; i < P.grid().size(); i++) {
      int label = (int) P.labels().at(i, 0);
      if (label == Tissue.WM || label == Tissue.GM || label == Tissue.DEEP_GM) {
        double n = Math.sqrt(sq(P.direction().at(i, 0)) + sq(P.direction().at(i, 1))
            + sq(P.direction().at(i, 2)));
        assertEquals(1, n, 1e-5, "voxel " + i);
      }
    }
  }

  @Test
  void groundTruthFilesRoundTrip(@TempDir Path dir) throws Exception {
    PhantomFiles.write(dir, P);
    Volume maps = NiftiReader.read(dir.resolve(PhantomFiles.MAPS)).volume();
    assertArrayEquals(P.maps().data(), maps.data());
    assertTrue(maps.grid().sameAs(P.grid()));
    assertArrayEquals(P.odi().data(), NiftiReader.read(dir.resolve(PhantomFiles.ODI)).volume()
        .data());
    assertArrayEquals(P.labels().data(),
        NiftiReader.read(dir.resolve(PhantomFiles.LABELS)).volume().data());
    assertArrayEquals(P.mask().toVolume().data(),
        NiftiReader.read(dir.resolve(PhantomFiles.MASK)).volume().data());
    assertArrayEquals(P.direction().data(),
        NiftiReader.read(dir.resolve(PhantomFiles.DIRECTION)).volume().data());
  }

  private static double median(List<Integer> idx, int map) {
    return quantile(idx, map, 0.5);
  }

  private static double quantile(List<Integer> idx, int map, double q) {
    double[] v = idx.stream().mapToDouble(i -> P.maps().at(i, map)).sorted().toArray();
    return v[(int) (q * (v.length - 1))];
  }

  private static void assertRange(double v, double lo, double hi, String what) {
    assertTrue(v >= lo && v <= hi, what + ": expected median in [" + lo + ", " + hi
        + "], found " + v);
  }

  private static double sq(double x) {
    return x * x;
  }
}
