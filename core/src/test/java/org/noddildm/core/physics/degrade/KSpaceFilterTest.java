package org.noddildm.core.physics.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class KSpaceFilterTest {
  @Test
  void withoutFilterTheKernelIsThePlainDirichletKernelBitForBit() {
    // the formula the unfiltered truncation always used, so old datasets regenerate unchanged
    for (int n : new int[] {16, 18, 64}) {
      int m = n / 2;
      double[][] k = KSpaceTruncation.kernel(n, 2, KSpaceFilter.NONE, 1)[0];
      assertNull(KSpaceTruncation.kernel(n, 2, KSpaceFilter.NONE, 1)[1]);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double d = i * 2 + 0.5 - j;
          double s = 1;
          int top = (m % 2 == 0) ? m / 2 - 1 : (m - 1) / 2;
          for (int f = 1; f <= top; f++) {
            s += 2 * Math.cos(2 * Math.PI * f * d / n);
          }
          if (m % 2 == 0) {
            s += Math.cos(Math.PI * m * d / n);
          }
          assertEquals(s / n, k[i][j], 0.0);
        }
      }
    }
  }

  @Test
  void hannApodisationTradesGibbsRingingForBlur() {
    Volume edge = step(32);
    Volume plain = KSpaceTruncation.acquire(edge, 2, KSpaceFilter.NONE).re();
    Volume hann = KSpaceTruncation.acquire(edge, 2, new KSpaceFilter(1, 1, 1)).re();
    // plain truncation rings far from the edges (Gibbs tails decay like 1/distance); Hann's
    // tails are several times weaker (what is left at 4 voxels is mostly its blur)
    double ringPlain = ringing(plain);
    double ringHann = ringing(hann);
    assertTrue(ringPlain > 0.01, "plain ringing " + ringPlain);
    assertTrue(ringHann < ringPlain / 5, "Hann ringing " + ringHann + ", plain " + ringPlain);
    // and Hann is blurrier: the jump between the two voxels at the edge is smaller
    assertTrue(plain.get(5, 0, 0) - plain.get(3, 0, 0) > hann.get(5, 0, 0) - hann.get(3, 0, 0));
  }

  @Test
  void partialFourierMakesAComplexImageBlurredAlongThePhaseAxisOnly() {
    Volume edge = step(32);
    KSpaceFilter pf = new KSpaceFilter(0, 0.75, 0);
    KSpaceTruncation.Image img = KSpaceTruncation.acquire(edge, 2, pf);
    assertTrue(img.im() != null);
    double imag = 0;
    for (float v : img.im().data()) {
      imag = Math.max(imag, Math.abs(v));
    }
    assertTrue(imag > 0.05, "imaginary part " + imag);
    // along axis 1 and 2 the object is constant: partial Fourier along axis 0 leaves them so
    Volume mag = img.magnitude();
    assertEquals(mag.get(5, 0, 0), mag.get(5, 3, 1), 1e-5);
    // the same object with partial Fourier along axis 1 (constant there) is the plain image
    Volume other = KSpaceTruncation.acquire(edge, 2, new KSpaceFilter(0, 0.75, 1)).magnitude();
    Volume plain = new KSpaceTruncation.Image(KSpaceTruncation.acquire(edge, 2,
        KSpaceFilter.NONE).re(), Volume.zeros(other.grid(), 1)).magnitude();
    assertArrayEquals(plain.data(), other.data(), 1e-5f);
    assertNotEquals(plain.get(8, 0, 0), mag.get(8, 0, 0), 1e-3);
  }

  @Test
  void complexRicianNoiseOfARealSignalIsTheUsualRicianDraw() {
    for (long seed = 1; seed < 20; seed++) {
      double a = Noise.RICIAN.sample(700, 30, new SplittableRandom(seed));
      double b = Noise.RICIAN.sampleComplex(700, 0, 30, new SplittableRandom(seed));
      assertEquals(a, b, 0.0);
    }
    // a complex signal's magnitude is what the noise is added to
    assertEquals(500, Noise.NONE.sampleComplex(300, 400, 30, new SplittableRandom(1)), 1e-9);
  }

  @Test
  void parsesTheCommandLineSpecAndRefusesNonsense() {
    assertEquals(KSpaceFilter.NONE, KSpaceFilter.parse("none"));
    assertEquals(new KSpaceFilter(0.5, 0.75, 0), KSpaceFilter.parse("apod=0.5,pf=6/8,axis=0"));
    assertEquals(new KSpaceFilter(0, 0.875, 1), KSpaceFilter.parse("pf=0.875"));
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> KSpaceFilter.parse("pf=0.3"));
    assertTrue(e.getMessage().contains("found 0.3"), e.getMessage());
    assertThrows(BadArgumentException.class, () -> KSpaceFilter.parse("hann"));
    assertThrows(BadArgumentException.class, () -> new Degradation(2, false,
        new KSpaceFilter(1, 1, 1), Noise.NONE, 30, 1));
  }

  @Test
  void acquisitionVariationIsSeededAndDrawsEveryKind() {
    AcquisitionVariation v = AcquisitionVariation.defaults();
    Degradation base = new Degradation(2, false, Noise.RICIAN, 30, 0);
    int kspace = 0;
    int filtered = 0;
    int partial = 0;
    for (long s = 0; s < 400; s++) {
      Degradation d = v.draw(base, new SplittableRandom(s));
      assertEquals(d, v.draw(base, new SplittableRandom(s)));
      kspace += d.kspace() ? 1 : 0;
      filtered += d.filter().apodisation() > 0 ? 1 : 0;
      partial += d.filter().partialFourier() < 1 ? 1 : 0;
      assertEquals(30, d.snr());
    }
    assertTrue(kspace > 160 && kspace < 240, "k-space share " + kspace);
    assertTrue(filtered > 60 && filtered < 140, "filtered " + filtered);
    assertTrue(partial > 60 && partial < 140, "partial Fourier " + partial);
  }

  /**
   * 1 for n/4 < x < 3n/4, 0 elsewhere, constant along y and z: edges half a fine voxel off the
   * coarse grid's symmetric points, where the ideal low-pass's ripple would vanish.
   */
  private static Volume step(int n) {
    Volume v = Volume.zeros(Grid.of(n, 8, 4, 1), 1);
    for (int z = 0; z < 4; z++) {
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < n; x++) {
          v.set(x, y, z, 0, x > n / 4 && x < 3 * n / 4 ? 1f : 0f);
        }
      }
    }
    return v;
  }

  /** Largest deviation from the object's value two or more coarse voxels from its edges. */
  private static double ringing(Volume v) {
    double m = 0;
    int n = v.nx();
    for (int x = 0; x < n; x++) {
      double fine = 2 * x + 0.5;
      double lo = 2 * n / 4.0 + 0.5;
      double hi = 6 * n / 4.0 - 0.5;
      double toEdge = Math.min(Math.abs(fine - lo), Math.abs(fine - hi));
      if (toEdge >= 4) {
        double truth = fine > lo && fine < hi ? 1 : 0;
        m = Math.max(m, Math.abs(v.get(x, 0, 0) - truth));
      }
    }
    return m;
  }
}
