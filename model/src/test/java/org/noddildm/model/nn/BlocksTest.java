package org.noddildm.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;

class BlocksTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    Engines.seed(7);
    manager = Engines.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static NDArray random(NDManager m, long seed, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return m.create(v, new Shape(shape));
  }

  /** Runs the block forward and backward on a random input; every parameter gets a gradient. */
  private static Shape forwardBackward(Block block, Shape in) {
    try (NDManager step = manager.newSubManager()) {
      block.initialize(manager, DataType.FLOAT32, in);
      NDArray x = random(step, 1, in.getShape());
      x.setRequiresGradient(true);
      ParameterStore ps = new ParameterStore(step, false);
      Shape outShape;
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray y = block.forward(ps, new NDList(x), true).singletonOrThrow();
        outShape = y.getShape();
        gc.backward(y.square().mean());
      }
      assertEquals(block.getOutputShapes(new Shape[] {in})[0], outShape, "declared shape");
      assertTrue(x.getGradient().abs().sum().getFloat() > 0, "input gradient is zero");
      for (Pair<String, Parameter> p : block.getParameters()) {
        float g = Autograd.grad(p.getValue(), step).abs().sum().getFloat();
        assertTrue(g > 0, p.getKey() + ": gradient is zero");
      }
      return outShape;
    }
  }

  @Test
  void groupNormGivesEachGroupZeroMeanAndUnitVariance() {
    GroupNorm3d norm = new GroupNorm3d(2);
    Shape in = new Shape(2, 4, 3, 3, 3);
    norm.initialize(manager, DataType.FLOAT32, in);
    try (NDManager step = manager.newSubManager()) {
      NDArray x = random(step, 3, 2, 4, 3, 3, 3).mul(5).add(2);
      NDArray y = norm.forward(new ParameterStore(step, false), new NDList(x), false)
          .singletonOrThrow().reshape(2, 2, -1);
      float[] mean = y.mean(new int[] {2}).toFloatArray();
      float[] var = y.square().mean(new int[] {2}).toFloatArray();
      for (int i = 0; i < 4; i++) {
        assertEquals(0, mean[i], 1e-5);
        assertEquals(1, var[i], 1e-3);
      }
    }
    assertEquals(8, GroupNorm3d.groupsFor(24, 8));
    assertEquals(5, GroupNorm3d.groupsFor(20, 8));
    assertEquals(1, GroupNorm3d.groupsFor(7, 4));
  }

  @Test
  void groupNormGradientMatchesFiniteDifferences() {
    GroupNorm3d norm = new GroupNorm3d(2);
    Shape in = new Shape(1, 4, 2, 2, 2);
    norm.initialize(manager, DataType.FLOAT32, in);
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray w = random(step, 5, 1, 4, 2, 2, 2);
      float[] x0 = random(step, 6, 1, 4, 2, 2, 2).toFloatArray();
      NDArray x = step.create(x0, in);
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        gc.backward(norm.forward(ps, new NDList(x), true).singletonOrThrow().mul(w).sum());
      }
      float[] analytic = x.getGradient().toFloatArray();
      double h = 1e-2;
      for (int i = 0; i < x0.length; i += 3) {
        float[] plus = x0.clone();
        float[] minus = x0.clone();
        plus[i] += h;
        minus[i] -= h;
        double fp = norm.forward(ps, new NDList(step.create(plus, in)), false)
            .singletonOrThrow().mul(w).sum().getFloat();
        double fm = norm.forward(ps, new NDList(step.create(minus, in)), false)
            .singletonOrThrow().mul(w).sum().getFloat();
        assertEquals((fp - fm) / (2 * h), analytic[i], 2e-2, "d/dx[" + i + "]");
      }
    }
  }

  @Test
  void resBlockChangesChannelsAndPassesGradients() {
    assertEquals(new Shape(2, 6, 8, 8, 8),
        forwardBackward(new ResBlock3d(4, 6, 2), new Shape(2, 4, 8, 8, 8)));
    assertEquals(new Shape(1, 4, 4, 4, 4),
        forwardBackward(new ResBlock3d(4, 4, 2), new Shape(1, 4, 4, 4, 4)));
  }

  @Test
  void downsampleHalvesAndUpsampleDoublesEachAxis() {
    assertEquals(new Shape(1, 4, 4, 2, 3),
        forwardBackward(new Downsample3d(4), new Shape(1, 4, 8, 4, 6)));
    assertEquals(new Shape(1, 4, 8, 4, 6),
        forwardBackward(new Upsample3d(4), new Shape(1, 4, 4, 2, 3)));
  }

  @Test
  void nearestUpsamplingRepeatsEachVoxelInATwoCube() {
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.arange(8f).reshape(1, 1, 2, 2, 2);
      NDArray y = Upsample3d.nearest2x(x);
      assertEquals(new Shape(1, 1, 4, 4, 4), y.getShape());
      float[] v = y.toFloatArray();
      for (int d = 0; d < 4; d++) {
        for (int h = 0; h < 4; h++) {
          for (int w = 0; w < 4; w++) {
            assertEquals(4 * (d / 2) + 2 * (h / 2) + w / 2, v[16 * d + 4 * h + w], 0);
          }
        }
      }
    }
  }

  @Test
  void selfAttentionKeepsShapeAndPassesGradients() {
    assertEquals(new Shape(2, 4, 2, 3, 2),
        forwardBackward(new SelfAttention3d(4, 2), new Shape(2, 4, 2, 3, 2)));
  }

  @Test
  void siluMatchesItsFormulaAndDjlsSwishBitForBit() {
    try (NDManager step = manager.newSubManager()) {
      float[] x = {-3f, -0.5f, 0f, 0.5f, 3f};
      float[] y = SiLU.apply(step.create(x)).toFloatArray();
      float[] expected = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        expected[i] = (float) (x[i] / (1 + Math.exp(-x[i])));
      }
      assertArrayEquals(expected, y, 1e-6f);
      // the same values as DJL's swish with beta 1, which costs one more tensor (see SiLU)
      assertArrayEquals(Activation.swish(step.create(x), 1f).toFloatArray(), y, 0f);
    }
  }
}
