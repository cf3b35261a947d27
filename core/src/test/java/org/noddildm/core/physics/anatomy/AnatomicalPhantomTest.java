package org.noddildm.core.physics.anatomy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.physics.phantom.Tissue;
import org.noddildm.core.volume.Grid;

/**
 * Colin27 subjects on small grids (32^3 at 2.5 mm: an 80 mm crop around the brain centre).
 * Skipped without Debian's mricron-data package.
 */
class AnatomicalPhantomTest {
  private static final PhantomConfig SMALL = PhantomConfig.cube(32, 2.5, 11);

  @BeforeAll
  static void templatesInstalled() {
    assumeTrue(TemplateFiles.available(Anatomy.COLIN27),
        "Colin27 templates not installed (Debian package mricron-data)");
  }

  private static Phantom colin(PhantomConfig c, Variation v) {
    return AnatomicalPhantom.generate(Anatomy.COLIN27, c, v).phantom();
  }

  @Test
  void sameSeedGivesTheIdenticalPhantomAndOtherSeedsDiffer() {
    Phantom a = colin(SMALL, Variation.defaults());
    Phantom b = colin(SMALL, Variation.defaults());
    assertArrayEquals(a.maps().data(), b.maps().data());
    assertArrayEquals(a.direction().data(), b.direction().data());
    assertArrayEquals(a.labels().data(), b.labels().data());
    assertArrayEquals(a.s0().data(), b.s0().data());
    Phantom c = colin(PhantomConfig.cube(32, 2.5, 12), Variation.defaults());
    int differ = 0;
    for (int i = 0; i < a.grid().size(); i++) {
      differ += a.labels().at(i, 0) != c.labels().at(i, 0) ? 1 : 0;
    }
    assertTrue(differ > a.grid().size() / 10, "labels differ in " + differ + " voxels");
  }

  @Test
  void freeWaterCarriesNoTissueParametersAsInTheProceduralPhantom() {
    Phantom p = colin(SMALL, Variation.defaults());
    int freeWater = 0;
    for (int i : p.mask().indices()) {
      if (p.maps().at(i, 2) >= 0.99f) {
        freeWater++;
        assertTrue(p.maps().at(i, 0) < 0.02f && p.maps().at(i, 1) < 0.02f,
            "NDI " + p.maps().at(i, 0) + ", ODI " + p.maps().at(i, 1) + " at FWF "
                + p.maps().at(i, 2));
      }
    }
    assertTrue(freeWater > 20, "voxels of free water: " + freeWater);
  }

  @Test
  void templateFractionsSumToOneInTheHeadAndMapsLieInZeroToOne() {
    AnatomyTemplate t = AnatomyTemplate.of(Anatomy.COLIN27);
    int head = 0;
    for (int i = 0; i < t.size(); i++) {
      double sum = 0;
      for (int k = AnatomyTemplate.CSF; k <= AnatomyTemplate.DEEP; k++) {
        float f = t.scalars[AnatomyTemplate.SCALARS * i + k];
        if (!(f >= 0 && f <= 1)) {
          fail("fraction " + f);
        }
        sum += f;
      }
      if (!(Math.abs(sum - 1) < 1e-5 || sum == 0)) {
        fail("fractions sum to " + sum);
      }
      head += sum > 0 ? 1 : 0;
    }
    assertTrue(head > 1_000_000, "head voxels " + head); // about 1.5 litres at 1 mm
    Phantom p = colin(SMALL, Variation.defaults());
    assertTrue(p.mask().count() > 0);
    for (int i = 0; i < p.grid().size(); i++) {
      for (int m = 0; m < 3; m++) {
        float v = p.maps().at(i, m);
        if (!(v >= 0 && v <= 1 && (p.mask().contains(i) || v == 0))) {
          fail("map " + m + " " + v);
        }
      }
      double dx = p.direction().at(i, 0);
      double dy = p.direction().at(i, 1);
      double dz = p.direction().at(i, 2);
      double norm = Math.sqrt(dx * dx + dy * dy + dz * dz);
      assertTrue(norm == 0 || Math.abs(norm - 1) < 1e-5, "direction norm " + norm);
    }
  }

  @Test
  void callosalWhiteMatterOnTheMidlineRunsLeftRight() {
    AnatomicalPhantom.Subject s = AnatomicalPhantom.generate(Anatomy.COLIN27, SMALL,
        Variation.none());
    Phantom p = s.phantom();
    Grid g = p.grid();
    int count = 0;
    double sumX = 0;
    for (int z = 0; z < g.nz(); z++) {
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++) {
          double[] mni = s.templatePoint(x, y, z);
          int i = g.index(x, y, z);
          // the body of the callosum in MNI space: mid-line, above the lateral ventricles
          if (Math.abs(mni[0]) < 3 && mni[1] > -25 && mni[1] < 15 && mni[2] > 16
              && mni[2] < 28 && p.labels().at(i, 0) == Tissue.WM) {
            count++;
            sumX += Math.abs(p.direction().at(i, 0));
          }
        }
      }
    }
    assertTrue(count >= 5, "callosal voxels " + count);
    assertTrue(sumX / count > 0.8, "mean |x| of the callosal direction " + sumX / count);
  }

  /**
   * The cortex direction is the surface normal, so in a rotated, scaled, warped (and perhaps
   * mirrored) subject it must stand along the gradient of the tissue share 1 - FWF computed on
   * the output grid itself: this checks the Jacobian and the LAS voxel-axis frame (with x not
   * negated the median |cos| falls to about 0.6).
   */
  @Test
  void cortexDirectionsAreSurfaceNormalsInTheOutputVoxelFrame() {
    Phantom p = colin(new PhantomConfig(48, 48, 48, 2.0, 1, 2), Variation.defaults());
    Grid g = p.grid();
    java.util.List<Double> cos = new java.util.ArrayList<>();
    for (int z = 1; z < g.nz() - 1; z++) {
      for (int y = 1; y < g.ny() - 1; y++) {
        for (int x = 1; x < g.nx() - 1; x++) {
          int i = g.index(x, y, z);
          if (p.labels().at(i, 0) != Tissue.GM) {
            continue;
          }
          double gx = tissue(p, g, x + 1, y, z) - tissue(p, g, x - 1, y, z);
          double gy = tissue(p, g, x, y + 1, z) - tissue(p, g, x, y - 1, z);
          double gz = tissue(p, g, x, y, z + 1) - tissue(p, g, x, y, z - 1);
          double norm = Math.sqrt(gx * gx + gy * gy + gz * gz);
          if (norm > 0.5) {
            cos.add(Math.abs(gx * p.direction().at(i, 0) + gy * p.direction().at(i, 1)
                + gz * p.direction().at(i, 2)) / norm);
          }
        }
      }
    }
    java.util.Collections.sort(cos);
    assertTrue(cos.size() > 1000, "cortex voxels at the surface " + cos.size());
    assertTrue(cos.get(cos.size() / 2) > 0.85, "median |cos| " + cos.get(cos.size() / 2));
  }

  private static double tissue(Phantom p, Grid g, int x, int y, int z) {
    int i = g.index(x, y, z);
    return p.mask().contains(i) ? 1 - p.maps().at(i, 2) : 0;
  }

  @Test
  void cortexIsMoreDispersedThanWhiteMatter() {
    Phantom p = colin(SMALL, Variation.defaults());
    double[] sum = new double[Tissue.COUNT];
    int[] n = new int[Tissue.COUNT];
    for (int i = 0; i < p.grid().size(); i++) {
      int l = (int) p.labels().at(i, 0);
      sum[l] += p.maps().at(i, 1);
      n[l]++;
    }
    assertTrue(n[Tissue.GM] > 100 && n[Tissue.WM] > 100, "GM " + n[Tissue.GM] + ", WM "
        + n[Tissue.WM]);
    double gm = sum[Tissue.GM] / n[Tissue.GM];
    double wm = sum[Tissue.WM] / n[Tissue.WM];
    assertTrue(gm > wm + 0.15, "mean ODI cortex " + gm + ", white matter " + wm);
  }

  /** S0 is not compared: its bias field belongs to the scanner, which is not mirrored. */
  @Test
  void aFlippedSubjectIsTheMirrorImageWithDirectionXNegated() {
    Phantom a = colin(SMALL, Variation.none());
    Phantom b = colin(SMALL, Variation.none().withFlipProbability(1));
    Grid g = a.grid();
    int inside = 0;
    for (int z = 0; z < g.nz(); z++) {
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++) {
          int i = g.index(x, y, z);
          int j = g.index(g.nx() - 1 - x, y, z);
          assertEquals(a.mask().contains(i), b.mask().contains(j));
          assertEquals(a.labels().at(i, 0), b.labels().at(j, 0));
          for (int m = 0; m < 3; m++) {
            assertEquals(a.maps().at(i, m), b.maps().at(j, m), 1e-4);
          }
          assertEquals(-a.direction().at(i, 0), b.direction().at(j, 0), 1e-3);
          assertEquals(a.direction().at(i, 1), b.direction().at(j, 1), 1e-3);
          assertEquals(a.direction().at(i, 2), b.direction().at(j, 2), 1e-3);
          inside += a.mask().contains(i) ? 1 : 0;
        }
      }
    }
    assertTrue(inside > 1000, "voxels inside " + inside);
  }

  @Test
  void lesionsLowerNdiAndRaiseFreeWater() {
    // the whole brain at 5 mm, so that every lesion is inside the grid
    PhantomConfig c = PhantomConfig.cube(40, 5, 3);
    Phantom healthy = colin(c, Variation.none());
    AnatomicalPhantom.Subject s = AnatomicalPhantom.generate(Anatomy.COLIN27, c,
        Variation.none().withLesions(2, 2));
    assertEquals(2, s.pose().lesions().size());
    Phantom lesioned = s.phantom();
    double drop = 0;
    for (int i = 0; i < c.nx() * c.ny() * c.nz(); i++) {
      double d = lesioned.maps().at(i, 0) - healthy.maps().at(i, 0);
      if (d > 1e-6) {
        fail("NDI rose by " + d);
      }
      if (lesioned.maps().at(i, 2) < healthy.maps().at(i, 2) - 1e-6) {
        fail("FWF fell in voxel " + i);
      }
      drop = Math.min(drop, d);
    }
    assertTrue(drop < -0.1, "largest NDI drop " + drop);
  }

  @Test
  void aMixingExponentSharpensOrWidensTheTissueBoundaries() {
    PhantomConfig c = PhantomConfig.cube(40, 2.5, 3);
    int sharp = partialVolume(colin(c, Variation.none().withMixingExponents(4, 4)));
    int template = partialVolume(colin(c, Variation.none()));
    int wide = partialVolume(colin(c, Variation.none().withMixingExponents(0.25, 0.25)));
    assertTrue(sharp < 0.8 * template && template < 0.8 * wide, "voxels with FWF in (0.2, 0.8):"
        + " exponent 4: " + sharp + ", 1: " + template + ", 1/4: " + wide);
    SubjectPose pose = AnatomicalPhantom.generate(Anatomy.COLIN27, c,
        Variation.wide()).pose();
    double g = pose.mixingExponent();
    assertTrue(g >= 0.75 && g <= 3 && g != 1, "drawn exponent " + g);
    assertEquals(g, pose.describe().get("tissue_mixing_exponent"));
    assertEquals(1.0, AnatomicalPhantom.generate(Anatomy.COLIN27, c, Variation.defaults())
        .pose().mixingExponent());
  }

  private static int partialVolume(Phantom p) {
    int n = 0;
    for (int i : p.mask().indices()) {
      float f = p.maps().at(i, 2);
      n += f > 0.2f && f < 0.8f ? 1 : 0;
    }
    return n;
  }

  @Test
  void aParameterSpreadShiftsTheTissueValuesOfSomeSubjectsAndKeepsThemInRange() {
    int shifted = 0;
    for (long seed = 1; seed <= 4; seed++) {
      PhantomConfig c = PhantomConfig.cube(32, 2.5, seed);
      Phantom base = colin(c, Variation.none());
      Phantom spread = colin(c, Variation.none().withParameterSpread(1));
      assertArrayEquals(base.labels().data(), spread.labels().data(), "the same anatomy");
      double d = 0;
      int n = 0;
      for (int i : base.mask().indices()) {
        for (int m = 0; m < 2; m++) {
          float v = spread.maps().at(i, m);
          assertTrue(v >= 0 && v <= 1, "map " + m + ": " + v);
        }
        if (base.labels().at(i, 0) == Tissue.GM) {
          d += spread.maps().at(i, 0) - base.maps().at(i, 0);
          n++;
        }
      }
      shifted += Math.abs(d / n) > 0.01 ? 1 : 0;
    }
    assertTrue(shifted >= 2, "subjects whose mean cortical NDI moved by more than 0.01: "
        + shifted + " of 4");
  }

  @Test
  void mixingExponentsAndSpreadOutsideTheirRangesAreRefused() {
    assertThrows(BadArgumentException.class,
        () -> Variation.defaults().withMixingExponents(2, 1));
    assertThrows(BadArgumentException.class,
        () -> Variation.defaults().withMixingExponents(0.01, 1));
    assertThrows(BadArgumentException.class, () -> Variation.defaults().withParameterSpread(2));
  }

  @Test
  void enlargedVentriclesHoldMoreFreeWater() {
    PhantomConfig c = PhantomConfig.cube(40, 5, 3);
    double healthy = totalFwf(colin(c, Variation.none()));
    double enlarged = totalFwf(colin(c, Variation.none().withVentricleProbability(1)));
    assertTrue(enlarged > healthy * 1.01, "total FWF " + healthy + " -> " + enlarged);
  }

  private static double totalFwf(Phantom p) {
    double s = 0;
    for (int i = 0; i < p.grid().size(); i++) {
      s += p.maps().at(i, 2);
    }
    return s;
  }

  @Test
  void aGridLargerThanTheBrainHoldsAllOfIt() {
    // 200 x 240 x 200 mm: the whole head fits, so no brain voxel touches the border
    Phantom p = colin(new PhantomConfig(40, 48, 40, 5, 21, 1), Variation.defaults());
    Grid g = p.grid();
    for (int z = 0; z < g.nz(); z++) {
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++) {
          boolean border = x == 0 || y == 0 || z == 0 || x == g.nx() - 1 || y == g.ny() - 1
              || z == g.nz() - 1;
          assertFalse(border && p.mask().contains(g.index(x, y, z)), "brain at the border");
        }
      }
    }
    assertTrue(p.mask().count() > 8000, "brain voxels " + p.mask().count()); // ~1.5 l / 125
  }
}
