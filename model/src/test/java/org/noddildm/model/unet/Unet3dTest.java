package org.noddildm.model.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.Ema;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.GaussianNoise;
import org.noddildm.model.nn.Autograd;

class Unet3dTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void predictsTheLatentShapeAndEveryWeightGetsAGradient() {
    Unet3d net = new Unet3d(UnetConfig.tiny(3, 2));
    net.initialize(manager, 4);
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(1);
      NDArray x = GaussianNoise.gaussian(m, new Shape(2, 3, 4, 4, 8), r);
      NDArray c = GaussianNoise.gaussian(m, new Shape(2, 2, 4, 4, 8), r);
      x.setRequiresGradient(true);
      c.setRequiresGradient(true);
      ParameterStore ps = new ParameterStore(m, false);
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray y = net.forward(ps, new NDList(x, GaussianDiffusion.steps(m, new int[] {3, 900}),
            c), true).singletonOrThrow();
        assertEquals(x.getShape(), y.getShape());
        gc.backward(y.square().mean());
      }
      assertTrue(x.getGradient().abs().sum().getFloat() > 0, "gradient to x_t");
      assertTrue(c.getGradient().abs().sum().getFloat() > 0, "gradient to the condition");
      for (Pair<String, Parameter> p : net.getParameters()) {
        assertTrue(Autograd.grad(p.getValue(), m).abs().sum().getFloat() > 0,
            p.getKey() + ": gradient is zero");
      }
      assertTrue(net.getParameters().keys().stream().anyMatch(k -> k.contains("midAttn")),
          "attention at the lowest resolution");
    }
  }

  @Test
  void outputDependsOnConditionAndStep() {
    Unet3d net = new Unet3d(UnetConfig.tiny(1, 1));
    net.initialize(manager, 4);
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(2);
      Denoiser d = Denoiser.of(net, new ParameterStore(m, false));
      Shape s = new Shape(1, 1, 4, 4, 4);
      NDArray x = GaussianNoise.gaussian(m, s, r);
      NDArray c1 = GaussianNoise.gaussian(m, s, r);
      NDArray c2 = GaussianNoise.gaussian(m, s, r);
      NDArray t10 = GaussianDiffusion.steps(m, new int[] {10});
      float[] a = d.predict(x, t10, c1, false).toFloatArray();
      assertArrayEquals(a, d.predict(x, t10, c1, false).toFloatArray(), 0f, "deterministic");
      assertFalse(Arrays.equals(a, d.predict(x, t10, c2, false).toFloatArray()), "condition");
      assertFalse(Arrays.equals(a, d.predict(x, GaussianDiffusion.steps(m, new int[] {500}), c1,
          false).toFloatArray()), "step");
    }
  }

  /**
   * The residual model's deeper shapes: three levels (widths 1, 2, 4 times the base) and two
   * blocks per level build, take latents of multiples of 4, and every weight is used.
   */
  @Test
  void theResidualUnetTakesMoreLevelsAndBlocks() {
    UnetConfig c = UnetConfig.residual(4, 3, 2, false, 7).withChannels(2, 3);
    assertArrayEquals(new int[] {1, 2, 4}, c.multipliers());
    assertEquals(2, c.resBlocks());
    assertEquals(4, c.sizeMultiple());
    assertEquals(UnetConfig.residual(4, false, 7), UnetConfig.residual(4, 2, 1, false, 7));
    assertArrayEquals(new int[] {1, 2, 4, 4}, UnetConfig.residual(4, 4, 1, false, 7)
        .multipliers());
    Unet3d net = new Unet3d(c);
    net.initialize(manager, 8);
    assertEquals(2, net.getChildren().keys().stream().filter(k -> k.contains("down0_"))
        .count(), "two blocks down at full resolution");
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(2);
      NDArray x = GaussianNoise.gaussian(m, new Shape(1, 2, 8, 4, 8), r);
      NDArray cond = GaussianNoise.gaussian(m, new Shape(1, 3, 8, 4, 8), r);
      ParameterStore ps = new ParameterStore(m, false);
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray y = net.forward(ps, new NDList(x, GaussianDiffusion.steps(m, new int[] {10}),
            cond), true).singletonOrThrow();
        assertEquals(x.getShape(), y.getShape());
        gc.backward(y.square().mean());
      }
      for (Pair<String, Parameter> p : net.getParameters()) {
        assertTrue(Autograd.grad(p.getValue(), m).abs().sum().getFloat() > 0,
            p.getKey() + ": gradient is zero");
      }
      BadArgumentException e = assertThrows(BadArgumentException.class, () -> net.forward(ps,
          new NDList(m.zeros(new Shape(1, 2, 6, 4, 8)), GaussianDiffusion.steps(m,
              new int[] {1}), m.zeros(new Shape(1, 3, 6, 4, 8))), false));
      assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
    }
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> UnetConfig.residual(4, 5, 1, false, 7));
    assertEquals("U-Net levels: expected 1..4, found 5", e.getMessage());
  }

  /**
   * The global context path sees the grid's mean features only: rearranging the voxels of its
   * input leaves its output as it was, shifting one voxel moves it. In the U-Net every weight of
   * the path gets a gradient, the output keeps its shape, and the switch is part of the config.
   */
  @Test
  void theGlobalContextSeesTheWholeGridsMean() {
    UnetConfig plain = UnetConfig.residual(4, 2, 1, false, 7).withChannels(1, 1);
    UnetConfig global = plain.withGlobalContext(true);
    assertFalse(plain.globalContext());
    assertFalse(plain.equals(global), "the switch is part of the config");
    assertTrue(global.toString().contains("globalContext=true"), global.toString());
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(4);
      GlobalContext path = new GlobalContext(6);
      path.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, 2, 2, 8));
      float[] f = GaussianNoise.gaussian(m, new Shape(1, 3, 2, 2, 8), r).toFloatArray();
      float[] reversed = new float[f.length];
      for (int ch = 0; ch < 3; ch++) {
        for (int i = 0; i < 32; i++) {
          reversed[ch * 32 + i] = f[ch * 32 + 31 - i];
        }
      }
      float[] shifted = f.clone();
      shifted[5] += 3f;
      ParameterStore ps = new ParameterStore(m, false);
      float[][] out = new float[3][];
      float[][] in = {f, reversed, shifted};
      for (int k = 0; k < 3; k++) {
        out[k] = path.forward(ps, new NDList(m.create(in[k], new Shape(1, 3, 2, 2, 8))), false)
            .singletonOrThrow().toFloatArray();
      }
      assertEquals(6, out[0].length);
      assertArrayEquals(out[0], out[1], 1e-5f, "the voxels' order does not matter");
      assertFalse(Arrays.equals(out[0], out[2]), "a voxel's value does");

      NDArray x = GaussianNoise.gaussian(m, new Shape(1, 1, 4, 4, 16), r);
      NDArray cond = GaussianNoise.gaussian(m, new Shape(1, 1, 4, 4, 16), r);
      NDArray t = GaussianDiffusion.steps(m, new int[] {300});
      Unet3d net = new Unet3d(global);
      net.initialize(manager, 4);
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray y = net.forward(ps, new NDList(x, t, cond), true).singletonOrThrow();
        assertEquals(x.getShape(), y.getShape());
        gc.backward(y.square().mean());
      }
      long params = 0;
      for (Pair<String, Parameter> p : net.getParameters()) {
        params += p.getKey().contains("global") ? 1 : 0;
        assertTrue(Autograd.grad(p.getValue(), m).abs().sum().getFloat() > 0,
            p.getKey() + ": gradient is zero");
      }
      assertEquals(4, params, "two layers, weight and bias each");
    }
  }

  @Test
  void wrongShapesAndConfigsAreRejectedWithExpectedAndFound() {
    Unet3d net = new Unet3d(UnetConfig.tiny(2, 1));
    net.initialize(manager, 4);
    try (NDManager m = manager.newSubManager()) {
      Denoiser d = Denoiser.of(net, new ParameterStore(m, false));
      NDArray t = GaussianDiffusion.steps(m, new int[] {1});
      BadArgumentException e = assertThrows(BadArgumentException.class, () -> d.predict(
          m.zeros(new Shape(1, 2, 4, 4, 4)), t, m.zeros(new Shape(1, 1, 4, 4, 2)), false));
      assertTrue(e.getMessage().contains("expected (1, 1, 4, 4, 4), found (1, 1, 4, 4, 2)"),
          e.getMessage());
      e = assertThrows(BadArgumentException.class, () -> d.predict(
          m.zeros(new Shape(1, 2, 5, 4, 4)), t, m.zeros(new Shape(1, 1, 5, 4, 4)), false));
      assertTrue(e.getMessage().contains("multiples of 2"), e.getMessage());
    }
    assertThrows(BadArgumentException.class,
        () -> new UnetConfig(1, 1, 8, new int[] {}, 1, true, 4, 8, 1));
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> new UnetConfig(1, 1, 8, new int[] {1}, 1, true, 4, 7, 1));
    assertTrue(e.getMessage().contains("timeDim: expected an even number >= 2, found 7"));
  }

  @Test
  void emaStartsAtTheLiveWeightsAndMovesByTheDecay() {
    UnetConfig c = UnetConfig.tiny(1, 1);
    Unet3d live = new Unet3d(c);
    live.initialize(manager, 4);
    Unet3d shadow = new Unet3d(c.withSeed(99));
    shadow.initialize(manager, 4);
    Ema ema = new Ema(live, shadow, 0.9);
    NDArray w = live.getParameters().get(3).getValue().getArray();
    NDArray s = shadow.getParameters().get(3).getValue().getArray();
    assertArrayEquals(w.toFloatArray(), s.toFloatArray(), 0f, "starts as a copy");
    float[] before = s.toFloatArray();
    assertEquals(1 / 10.0, ema.currentDecay(), 1e-12, "warm-up decay (1 + 0) / (10 + 0)");
    w.addi(1f);
    ema.update();
    float[] after = s.toFloatArray();
    for (int i = 0; i < after.length; i++) {
      assertEquals(0.1f * before[i] + 0.9f * (before[i] + 1), after[i], 1e-5f);
    }
    ema.setUpdates(1_000_000);
    assertEquals(0.9, ema.currentDecay(), 0);
  }

  @Test
  void savedWeightsLoadIntoAFreshNetworkWithIdenticalPredictions() throws Exception {
    UnetConfig c = UnetConfig.tiny(2, 2);
    Unet3d a = new Unet3d(c);
    a.initialize(manager, 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.saveParameters(new DataOutputStream(bytes));
    Unet3d b = new Unet3d(c.withSeed(5));
    b.initialize(manager, 4);
    b.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(3);
      NDArray x = GaussianNoise.gaussian(m, new Shape(1, 2, 4, 4, 4), r);
      NDArray cond = GaussianNoise.gaussian(m, new Shape(1, 2, 4, 4, 4), r);
      NDArray t = GaussianDiffusion.steps(m, new int[] {42});
      assertArrayEquals(Denoiser.of(a, new ParameterStore(m, false)).predict(x, t, cond, false)
          .toFloatArray(), Denoiser.of(b, new ParameterStore(m, false)).predict(x, t, cond,
          false).toFloatArray(), 0f);
    }
  }
}
