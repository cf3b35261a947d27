package org.noddildm.core.physics.anatomy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.physics.phantom.Tissue;

/** INIA19, the macaque benchmark anatomy. Skipped without Debian's mricron-data package. */
class HeldOutAnatomyTest {
  @Test
  void inia19IsHumanSizedFlaggedHeldOutAndHasNoDeepGrayMatter() {
    assumeTrue(TemplateFiles.available(Anatomy.INIA19),
        "INIA19 template not installed (Debian package mricron-data)");
    assertTrue(Anatomy.INIA19.heldOut());
    assertFalse(Anatomy.COLIN27.heldOut());
    AnatomicalPhantom.Subject s = AnatomicalPhantom.generate(Anatomy.INIA19,
        PhantomConfig.cube(48, 4, 2), Variation.none());
    assertTrue(s.source().contains("HELD OUT"), s.source());
    Phantom p = s.phantom();
    int[] n = new int[Tissue.COUNT];
    for (int i = 0; i < p.grid().size(); i++) {
      n[(int) p.labels().at(i, 0)]++;
    }
    assertTrue(n[Tissue.DEEP_GM] == 0, "deep gray matter voxels " + n[Tissue.DEEP_GM]);
    assertTrue(n[Tissue.WM] > 1000 && n[Tissue.GM] > 1000, "WM " + n[Tissue.WM] + ", GM "
        + n[Tissue.GM]);
    // scaled by 2, a macaque brain (~90 ml) becomes about 0.7 l: at 4 mm over 10,000 voxels
    assertTrue(p.mask().count() > 10_000, "brain voxels " + p.mask().count());
  }
}
