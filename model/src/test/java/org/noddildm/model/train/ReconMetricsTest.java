package org.noddildm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconMetricsTest {
  @Test
  void psnrOfAConstantErrorFollowsItsDefinition() {
    float[] ref = {0, 0.5f, 1, 0.25f};
    float[] test = {0.1f, 0.6f, 1.1f, 0.35f};
    assertEquals(20.0, ReconMetrics.psnr(ref, test, 1.0), 1e-5);
  }

  @Test
  void ssimIsOneForIdenticalVolumesAndLowerWithNoise() {
    int n = 9;
    float[] a = new float[n * n * n];
    float[] b = new float[a.length];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble();
      b[i] = a[i] + (float) (0.3 * r.nextGaussian());
    }
    assertEquals(1.0, ReconMetrics.ssim(a, a, n, n, n, 1, 1.0), 1e-9);
    double s = ReconMetrics.ssim(a, b, n, n, n, 1, 1.0);
    assertEquals(true, s < 0.8 && s > 0, "ssim " + s);
  }
}
