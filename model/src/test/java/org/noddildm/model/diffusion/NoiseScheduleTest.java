package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;

class NoiseScheduleTest {

  @Test
  void linearScheduleHasDdpmBetasAndCumulativeProducts() {
    NoiseSchedule s = NoiseSchedule.linear();
    assertEquals(1000, s.steps());
    assertEquals(1e-4, s.beta(0), 1e-15);
    assertEquals(0.02, s.beta(999), 1e-15);
    for (int t : new int[] {1, 250, 500, 998}) {
      assertEquals(1e-4 + (0.02 - 1e-4) * t / 999.0, s.beta(t), 1e-15);
    }
    // reference values from numpy: np.cumprod(1 - np.linspace(1e-4, 0.02, 1000))
    assertEquals(0.9999, s.alphaCumprod(0), 1e-15);
    assertEquals(0.07858724288177824, s.alphaCumprod(499), 1e-12);
    assertEquals(4.035829765375676e-05, s.alphaCumprod(999), 1e-15);
    // abar_t = exp(sum_{s<=t} log(1 - beta_s))
    double log = 0;
    for (int t = 0; t < 1000; t++) {
      log += Math.log1p(-s.beta(t));
      assertEquals(Math.exp(log), s.alphaCumprod(t), 1e-12 * Math.exp(log) + 1e-15);
      assertEquals(1.0, Math.pow(s.sqrtAlphaCumprod(t), 2)
          + Math.pow(s.sqrtOneMinusAlphaCumprod(t), 2), 1e-12);
      assertEquals(1 - s.beta(t), s.alpha(t), 0);
    }
  }

  @Test
  void posteriorMatchesTheClosedFormsOfDdpm() {
    NoiseSchedule s = NoiseSchedule.linear();
    assertEquals(0.0, s.posteriorVariance(0), 0, "beta~_0 = 0: the last step adds no noise");
    assertEquals(1.0, s.alphaCumprodPrev(0), 0);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int t : new int[] {1, 10, 300, 999}) {
      double at = s.alphaCumprod(t);
      double ap = s.alphaCumprod(t - 1);
      assertEquals(ap, s.alphaCumprodPrev(t), 0);
      assertEquals((1 - ap) / (1 - at) * s.beta(t), s.posteriorVariance(t), 1e-15);
      assertTrue(s.posteriorVariance(t) <= s.beta(t));
      // mu~(x0, x_t) with x_t = sqrt(abar) x0 + sqrt(1 - abar) eps equals Ho et al. eq. 11:
      // (x_t - beta / sqrt(1 - abar) eps) / sqrt(alpha)
      double x0 = r.nextGaussian();
      double eps = r.nextGaussian();
      double xt = Math.sqrt(at) * x0 + Math.sqrt(1 - at) * eps;
      double mu = s.posteriorMeanCoef1(t) * x0 + s.posteriorMeanCoef2(t) * xt;
      double ho = (xt - s.beta(t) / Math.sqrt(1 - at) * eps) / Math.sqrt(s.alpha(t));
      assertEquals(ho, mu, 1e-12);
    }
  }

  @Test
  void cosineScheduleFollowsNicholAndDhariwal() {
    NoiseSchedule s = NoiseSchedule.cosine(1000, 0.008);
    double f0 = NoiseSchedule.cosineF(0, 1000, 0.008);
    for (int t = 0; t < 990; t++) {
      double want = NoiseSchedule.cosineF(t + 1, 1000, 0.008) / f0;
      assertEquals(want, s.alphaCumprod(t), 1e-10);
    }
    // numpy: f(500) / f(0) with f(t) = cos((t/1000 + s)/(1 + s) pi/2)^2
    assertEquals(0.49384359044063764, s.alphaCumprod(499), 1e-12);
    for (int t = 0; t < 1000; t++) {
      assertTrue(s.beta(t) > 0 && s.beta(t) <= 0.999, "beta_" + t + " = " + s.beta(t));
    }
    assertEquals(0.999, s.beta(999), 1e-12, "the last beta is clipped");
  }

  @Test
  void badSchedulesAndStepsAreRejectedWithExpectedAndFound() {
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> NoiseSchedule.Kind.parse("quadratic"));
    assertTrue(e.getMessage().contains("expected linear or cosine, found quadratic"));
    assertThrows(BadArgumentException.class, () -> new NoiseSchedule("x", new double[] {0.5, 1}));
    e = assertThrows(BadArgumentException.class, () -> NoiseSchedule.linear().beta(1000));
    assertTrue(e.getMessage().contains("expected 0..999, found 1000"), e.getMessage());
    assertEquals(1.0, NoiseSchedule.linear().alphaCumprod(-1), 0);
  }
}
