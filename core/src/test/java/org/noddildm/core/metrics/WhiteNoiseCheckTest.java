package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;

class WhiteNoiseCheckTest {
  @Test
  void fftMatchesTheDirectDftForAnyPowerOfTwo() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 64;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = rng.nextGaussian();
      im[i] = rng.nextGaussian();
    }
    double[] r2 = re.clone();
    double[] i2 = im.clone();
    Fft.forward(r2, i2);
    for (int k = 0; k < n; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < n; t++) {
        double a = -2 * Math.PI * k * t / n;
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
      assertEquals(sr, r2[k], 1e-9);
      assertEquals(si, i2[k], 1e-9);
    }
    Fft.inverse(r2, i2);
    for (int t = 0; t < n; t++) {
      assertEquals(re[t], r2[t], 1e-12);
      assertEquals(im[t], i2[t], 1e-12);
    }
  }

  @Test
  void fftAutocorrelationEqualsTheDirectSumForAnyLength() {
    for (int len : new int[] {2, 3, 4, 37, 64, 100}) {
      assertAutocorrelationIsTheDirectSum(len);
    }
  }

  private static void assertAutocorrelationIsTheDirectSum(int len) {
    SplittableRandom rng = new SplittableRandom(2);
    double[] x = new double[len];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
    double m = 0.3;
    double[] r = WhiteNoiseCheck.autocorrelation(x, m);
    for (int k = 0; k < x.length; k++) {
      double s = 0;
      for (int i = 0; i + k < x.length; i++) {
        s += (x[i] - m) * (x[i + k] - m);
      }
      assertEquals(s, r[k], 1e-9, "length " + len + " lag " + k);
    }
  }

  @Test
  void seededGaussianNoisePassesWithItsMeanAndVariance() {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[200_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 + 3 * rng.nextGaussian());
    }
    WhiteNoiseCheck.Result r = WhiteNoiseCheck.check(x, WhiteNoiseCheck.DEFAULT_THRESHOLD);
    assertTrue(r.passes(), r.toString());
    assertEquals(2, r.mean(), 0.05);
    assertEquals(9, r.variance(), 0.2);
    assertTrue(r.worstLag() >= 1 && r.worstLag() < x.length);
  }

  @Test
  void correlatedNoiseFailsAtLagOne() {
    SplittableRandom rng = new SplittableRandom(4);
    double[] x = new double[100_000];
    double prev = 0;
    for (int i = 0; i < x.length; i++) {
      prev = 0.5 * prev + rng.nextGaussian(); // AR(1): r_1 = 0.5
      x[i] = prev;
    }
    WhiteNoiseCheck.Result r = WhiteNoiseCheck.check(x, WhiteNoiseCheck.DEFAULT_THRESHOLD);
    assertFalse(r.passes());
    assertEquals(1, r.worstLag());
    assertEquals(0.5, r.worstValue(), 0.02);
  }

  @Test
  void rejectsTooFewSamples() {
    assertThrows(BadArgumentException.class, () -> WhiteNoiseCheck.check(new double[1], 0.1));
  }
}
