package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;

class NoiseLevelsTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.linear();

  @Test
  void uniformDrawsAreExactlyTheUniformStepsOfTheSameStream() {
    assertArrayEquals(GaussianNoise.uniformSteps(64, 1000, new SplittableRandom(3)),
        NoiseLevels.UNIFORM.draw(64, LINEAR, new SplittableRandom(3)));
  }

  @Test
  void theMixtureHalvesTheBatchBetweenUniformStepsAndEdmsLogNormalSigma() {
    int[] t = NoiseLevels.LOGNORMAL_MIX.draw(20000, LINEAR, new SplittableRandom(5));
    double[] even = new double[t.length / 2];
    double[] logSigma = new double[t.length / 2];
    for (int i = 0; i < t.length; i += 2) {
      even[i / 2] = t[i];
      logSigma[i / 2] = NoiseLevels.logSigma(LINEAR, t[i + 1]);
    }
    assertEquals(499.5, Arrays.stream(even).average().orElseThrow(), 10, "uniform half");
    Arrays.sort(logSigma);
    // median and quartiles of ln sigma ~ N(-1.2 + ln 2, 1.2^2), up to the grid of 1000 steps
    assertEquals(NoiseLevels.MEAN, logSigma[logSigma.length / 2], 0.05);
    assertEquals(NoiseLevels.MEAN - 0.6745 * NoiseLevels.SD, logSigma[logSigma.length / 4],
        0.05);
    assertEquals(NoiseLevels.MEAN + 0.6745 * NoiseLevels.SD, logSigma[3 * logSigma.length / 4],
        0.05);
    // below step 320 (SNR 0.53 on the linear schedule): 32% of uniform draws, 75% of EDM's
    double low = Arrays.stream(t).filter(s -> s < 320).count() / (double) t.length;
    assertEquals((0.32 + 0.753) / 2, low, 0.01, "share of draws at low and middle noise");
  }

  @Test
  void theNearestStepInvertsSigmaAndClampsAtTheEnds() {
    for (int t : new int[] {0, 1, 57, 300, 998, 999}) {
      assertEquals(t, NoiseLevels.nearestStep(LINEAR, Math.exp(NoiseLevels.logSigma(LINEAR, t))));
    }
    assertEquals(0, NoiseLevels.nearestStep(LINEAR, 1e-9));
    assertEquals(999, NoiseLevels.nearestStep(LINEAR, 1e9));
  }

  @Test
  void labelsParseAndUnknownOnesAreRefused() {
    assertEquals(NoiseLevels.LOGNORMAL_MIX, NoiseLevels.parse("lognormal-mix"));
    assertNull(NoiseLevels.parse(null));
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> NoiseLevels.parse("cosine"));
    assertEquals("noise levels: expected uniform or lognormal-mix, found cosine",
        e.getMessage());
  }
}
