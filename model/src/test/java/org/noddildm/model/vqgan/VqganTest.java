package org.noddildm.model.vqgan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.Engines;

class VqganTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
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
      v[i] = (float) r.nextDouble();
    }
    return m.create(v, new Shape(shape));
  }

  @Test
  void configSaysWhatItExpected() {
    var e = assertThrows(BadArgumentException.class, () -> new VqganConfig(3, 8,
        new int[] {1, 2}, 1, false, 4, 4, 16, 1, 0.25, 2, 0, 4, 2, 0.8, 0, 1));
    assertTrue(e.getMessage().contains("multipliers: expected 3 values"), e.getMessage());
    e = assertThrows(BadArgumentException.class, () -> new VqganConfig(3, 8,
        new int[] {1, 2, 2}, 1, false, 3, 4, 16, 1, 0.25, 2, 0, 4, 2, 0.8, 0, 1));
    assertTrue(e.getMessage().contains("downFactor: expected a power of two, found 3"));
  }

  @Test
  void generatorReconstructsTheInputShapeThroughALatentFourTimesSmaller() {
    Engines.seed(1);
    Vqgan g = new Vqgan(VqganConfig.tiny(3));
    g.initialize(manager, 16);
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray x = random(step, 1, 2, 3, 16, 16, 8);
      NDList out = g.forward(ps, new NDList(x), false);
      assertEquals(x.getShape(), out.get(0).getShape());
      assertEquals(new Shape(2, 4, 4, 4, 2), g.encode(ps, x).getShape());
      assertEquals(new Shape(), out.get(1).getShape());
      assertEquals(2 * 4 * 4 * 2, out.get(3).size());
      PatchDiscriminator3d d = new PatchDiscriminator3d(VqganConfig.tiny(3));
      d.initialize(manager, DataType.FLOAT32, x.getShape());
      assertEquals(new Shape(2, 1, 4, 4, 2),
          d.forward(ps, new NDList(x), false).singletonOrThrow().getShape());
    }
  }

  @Test
  void attentionAtTheLowestResolutionKeepsShapesAndSavesWithTheModel() throws Exception {
    VqganConfig t = VqganConfig.tiny(1);
    VqganConfig c = new VqganConfig(1, 4, t.multipliers(), 1, true, 4, 4, 16, 1, 0.25, 2, 0, 4, 2,
        0.8, 0, 1);
    Engines.seed(2);
    Vqgan g = new Vqgan(c);
    g.initialize(manager, 8);
    assertTrue(g.getParameters().keys().stream().anyMatch(k -> k.contains("SelfAttention3d")),
        g.getParameters().keys().toString());
    try (NDManager step = manager.newSubManager()) {
      NDArray x = random(step, 3, 1, 1, 8, 8, 8);
      NDArray y = g.forward(new ParameterStore(step, false), new NDList(x), false).get(0);
      assertEquals(x.getShape(), y.getShape());
    }
  }

  @Test
  void quantizerOutputsCodebookRowsAndPassesGradientsStraightThrough() {
    VectorQuantizer q = new VectorQuantizer(8, 2, 0.25);
    q.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2, 2, 1));
    float[] cb = q.codebook().getArray().toFloatArray();
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray z = random(step, 4, 1, 2, 2, 2, 1).sub(0.5f).mul(0.3f);
      NDArray w = random(step, 5, 1, 2, 2, 2, 1);
      z.setRequiresGradient(true);
      NDList out;
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        out = q.forward(ps, new NDList(z), true);
        gc.backward(out.get(0).mul(w).sum());
      }
      // forward: each output vector is the nearest codebook row
      float[] zq = out.get(0).transpose(0, 2, 3, 4, 1).reshape(-1, 2).toFloatArray();
      float[] zv = z.transpose(0, 2, 3, 4, 1).reshape(-1, 2).toFloatArray();
      long[] idx = out.get(3).toLongArray();
      for (int n = 0; n < 4; n++) {
        int best = 0;
        double bestD = Double.MAX_VALUE;
        for (int k = 0; k < 8; k++) {
          double d = Math.pow(zv[2 * n] - cb[2 * k], 2) + Math.pow(zv[2 * n + 1] - cb[2 * k + 1], 2);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
        assertEquals(best, idx[n]);
        assertEquals(cb[2 * best], zq[2 * n], 1e-6);
        assertEquals(cb[2 * best + 1], zq[2 * n + 1], 1e-6);
      }
      // backward: d(sum(z_q * w))/dz = w exactly
      assertArrayEquals(w.toFloatArray(), z.getGradient().toFloatArray(), 1e-6f);
      double perplexity = out.get(2).getFloat();
      assertTrue(perplexity >= 1 && perplexity <= 4, "perplexity " + perplexity);
    }
  }

  @Test
  void groupedQuantizerQuantizesEachChannelGroupOnItsOwnWithTheSharedCodebook() {
    // 6 latent channels in 3 groups of 2: each latent voxel carries 3 codes of a 2-vector book
    VectorQuantizer q = new VectorQuantizer(8, 6, 3, 0.25);
    q.initialize(manager, DataType.FLOAT32, new Shape(1, 6, 2, 1, 1));
    float[] cb = q.codebook().getArray().toFloatArray();
    assertEquals(16, cb.length, "codebook 8 x 2");
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray z = random(step, 6, 1, 6, 2, 1, 1).sub(0.5f).mul(0.3f);
      NDList out = q.forward(ps, new NDList(z), false);
      assertEquals(new Shape(1, 6, 2, 1, 1), out.get(0).getShape());
      long[] idx = out.get(3).toLongArray();
      assertEquals(6, idx.length, "2 voxels x 3 groups");
      float[] zv = z.transpose(0, 2, 3, 4, 1).reshape(-1, 6).toFloatArray();
      float[] zq = out.get(0).transpose(0, 2, 3, 4, 1).reshape(-1, 6).toFloatArray();
      for (int voxel = 0; voxel < 2; voxel++) {
        for (int g = 0; g < 3; g++) {
          int at = voxel * 6 + 2 * g;
          int best = 0;
          double bestD = Double.MAX_VALUE;
          for (int k = 0; k < 8; k++) {
            double d = Math.pow(zv[at] - cb[2 * k], 2) + Math.pow(zv[at + 1] - cb[2 * k + 1], 2);
            if (d < bestD) {
              bestD = d;
              best = k;
            }
          }
          assertEquals(best, idx[voxel * 3 + g], "voxel " + voxel + " group " + g);
          assertEquals(cb[2 * best], zq[at], 1e-6);
          assertEquals(cb[2 * best + 1], zq[at + 1], 1e-6);
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new VectorQuantizer(8, 6, 4, 0.25));
    var e = assertThrows(BadArgumentException.class, () -> new VqganConfig(3, 8,
        new int[] {1, 2}, 1, false, 2, 8, 16, 3, 0.25, 2, 0, 4, 2, 0.8, 0, 1));
    assertTrue(e.getMessage().contains("codeGroups: expected a divisor of latentDim 8, found 3"),
        e.getMessage());
  }

  @Test
  void deadCodesRestartOnEncoderOutputs() {
    VectorQuantizer q = new VectorQuantizer(4, 2, 0.25);
    q.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 1, 1, 1));
    try (NDManager step = manager.newSubManager()) {
      NDArray zf = step.create(new float[] {5, 5, 6, 6}, new Shape(2, 2));
      NDArray used = step.create(new long[] {0, 0});
      SplittableRandom r = new SplittableRandom(1);
      assertEquals(0, q.trackAndRestart(used, zf, 3, r));
      assertEquals(0, q.trackAndRestart(used, zf, 3, r));
      assertEquals(3, q.trackAndRestart(used, zf, 3, r)); // codes 1..3 idle for 3 steps
      float[] cb = q.codebook().getArray().toFloatArray();
      for (int k = 1; k < 4; k++) {
        double near = Math.min(Math.hypot(cb[2 * k] - 5, cb[2 * k + 1] - 5),
            Math.hypot(cb[2 * k] - 6, cb[2 * k + 1] - 6));
        assertTrue(near < 1.0,
            "code " + k + " moved onto an encoder output: " + cb[2 * k] + ", " + cb[2 * k + 1]);
      }
      assertTrue(Math.abs(cb[0]) < 0.3, "the used code stays");
      assertArrayEquals(new int[] {0, 0, 0, 0}, q.idleSteps());
    }
  }

  @Test
  void adaptiveWeightIsTheRatioOfGradientNormsAtTheLastLayer() {
    Engines.seed(3);
    VqganConfig c = VqganConfig.tiny(2);
    Vqgan g = new Vqgan(c);
    g.initialize(manager, 8);
    PatchDiscriminator3d d = new PatchDiscriminator3d(c);
    d.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 8, 8, 8));
    var genParams = g.getParameters().values();
    Parameter last = g.decoder().lastLayerWeight();
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray x = random(step, 9, 1, 2, 8, 8, 8);
      // reference: two separate forward/backward passes
      float[][] recGrads = new float[genParams.size()][];
      float[][] ganGrads = new float[genParams.size()][];
      for (int pass = 0; pass < 2; pass++) {
        org.noddildm.model.nn.Autograd.zeroGrad(genParams);
        try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
          NDList out = g.forward(ps, new NDList(x), true);
          NDArray loss = pass == 0 ? Losses.l1(x, out.get(0)).add(out.get(1))
              : Losses.generatorAdversarial(
                  d.forward(ps, new NDList(out.get(0)), true).singletonOrThrow());
          gc.backward(loss);
        }
        for (int i = 0; i < genParams.size(); i++) {
          float[] gr = org.noddildm.model.nn.Autograd.grad(genParams.get(i), step).toFloatArray();
          (pass == 0 ? recGrads : ganGrads)[i] = gr;
        }
      }
      int lastIndex = genParams.indexOf(last);
      double expected = 0.8 * norm(recGrads[lastIndex]) / (norm(ganGrads[lastIndex]) + 1e-4);
      // one forward, two backward passes
      org.noddildm.model.nn.Autograd.zeroGrad(genParams);
      double lambda;
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDList out = g.forward(ps, new NDList(x), true);
        NDArray rec = Losses.l1(x, out.get(0)).add(out.get(1));
        NDArray gan = Losses.generatorAdversarial(
            d.forward(ps, new NDList(out.get(0)), true).singletonOrThrow());
        lambda = AdaptiveWeight.backward(rec, gan, last, genParams, 0.8, step);
      }
      assertEquals(expected, lambda, 1e-4 * expected);
      for (int i = 0; i < genParams.size(); i++) {
        float[] got = org.noddildm.model.nn.Autograd.grad(genParams.get(i), step).toFloatArray();
        for (int j = 0; j < got.length; j++) {
          double want = recGrads[i][j] + lambda * ganGrads[i][j];
          assertEquals(want, got[j], 1e-4 * (1 + Math.abs(want)), "param " + i + "[" + j + "]");
        }
      }
      org.noddildm.model.nn.Autograd.zeroGrad(genParams);
    }
    assertEquals(5000.0, Losses.adaptiveWeight(0.5, 0.0), 1e-9);
    assertEquals(1e4, Losses.adaptiveWeight(10, 0.0), 0);
  }

  @Test
  void savedWeightsLoadIntoAFreshModelWithIdenticalOutputs() throws Exception {
    VqganConfig c = VqganConfig.tiny(3);
    Engines.seed(11);
    Vqgan a = new Vqgan(c);
    a.initialize(manager, 8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.saveParameters(new DataOutputStream(bytes));
    Engines.seed(12);
    Vqgan b = new Vqgan(c);
    b.initialize(manager, 8);
    try (NDManager step = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(step, false);
      NDArray x = random(step, 2, 1, 3, 8, 8, 8);
      float[] ya = a.forward(ps, new NDList(x), false).get(0).toFloatArray();
      float[] before = b.forward(ps, new NDList(x), false).get(0).toFloatArray();
      assertTrue(Math.abs(ya[0] - before[0]) > 1e-6, "different seeds, different weights");
      b.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      for (int i = 0; i < a.getParameters().size(); i++) {
        assertArrayEquals(a.getParameters().get(i).getValue().getArray().toFloatArray(),
            b.getParameters().get(i).getValue().getArray().toFloatArray(), 0f,
            a.getParameters().get(i).getKey());
      }
      // a new ParameterStore: a store caches the arrays it has handed out
      ParameterStore fresh = new ParameterStore(step, false);
      assertArrayEquals(ya, b.forward(fresh, new NDList(x), false).get(0).toFloatArray(), 0f);
    }
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * (double) f;
    }
    return Math.sqrt(s);
  }

  @Test
  void multipliersForAFactorGiveOneLevelPerHalvingAndMatchTheDefaults() {
    org.junit.jupiter.api.Assertions.assertArrayEquals(VqganConfig.defaults(3).multipliers(),
        VqganConfig.multipliersFor(4));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, 2},
        VqganConfig.multipliersFor(2));
    org.junit.jupiter.api.Assertions.assertThrows(org.noddildm.core.BadArgumentException.class,
        () -> VqganConfig.multipliersFor(3));
  }

  @Test
  void withersChangeOnlyWhatTheyName() {
    VqganConfig d = VqganConfig.defaults(3);
    VqganConfig c = d.withWidth(24).withDownFactor(2).withLatent(4, 1024, 2).withDiscStart(7)
        .withSeed(9);
    assertEquals(new VqganConfig(3, 24, VqganConfig.multipliersFor(2), d.resBlocks(),
        d.attention(), 2, 4, 1024, 2, d.beta(), d.maxGroups(), 7, 24, d.discLayers(),
        d.discWeight(), d.gradWeight(), 9), c);
  }
}
