package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Standard normal noise drawn on the Java side from a seeded {@link SplittableRandom}, so that a
 * sample depends only on the seed (not on the engine's global generator or the device).
 */
public final class GaussianNoise {
  private GaussianNoise() {}

  /** An array of {@code shape} with independent N(0, 1) entries, owned by {@code manager}. */
  public static NDArray gaussian(NDManager manager, Shape shape, SplittableRandom rng) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return manager.create(v, shape);
  }

  /** {@code n} steps drawn uniformly from 0..T-1. */
  public static int[] uniformSteps(int n, int steps, SplittableRandom rng) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = rng.nextInt(steps);
    }
    return t;
  }
}
