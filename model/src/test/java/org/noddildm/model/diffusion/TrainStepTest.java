package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;
import org.noddildm.model.unet.Unet3d;

class TrainStepTest {

  @Test
  void gradientsAreClippedToTheGlobalNormAndNonFiniteLossesStopBeforeTheUpdate() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = new Unet3d(SamplerTest.smallest(1, 1));
      net.initialize(m, 4);
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.linear(), Prediction.EPSILON);
      TrainStep step = new TrainStep(net, d, 1e-3, null, m);
      step.setMaxGradNorm(1e-3);
      NDArray x = GaussianNoise.gaussian(m, new Shape(2, 1, 4, 4, 4), new SplittableRandom(1)).mul(5);
      step.run(x, x, new SplittableRandom(2));
      assertTrue(step.lastGradNorm() > 1e-3, "norm before clipping " + step.lastGradNorm());
      double sq = 0;
      for (Parameter p : net.getParameters().values()) {
        float n = p.getArray().getGradient().norm().getFloat();
        sq += (double) n * n;
      }
      assertEquals(1e-3, Math.sqrt(sq), 1e-6, "global norm after clipping");

      float[] before = net.getParameters().get(0).getValue().getArray().toFloatArray();
      NDArray bad = x.duplicate();
      bad.set(new ai.djl.ndarray.index.NDIndex("0,0,0,0,0"), Float.NaN);
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> step.run(bad, x, new SplittableRandom(3)));
      assertTrue(e.getMessage().contains("expected a finite loss, found NaN"), e.getMessage());
      assertArrayEquals(before, net.getParameters().get(0).getValue().getArray().toFloatArray(),
          0f, "weights not updated");
    }
  }

  @Test
  void aRareNonFiniteGradientSkipsItsStepButManyInARowStopTraining() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = new Unet3d(SamplerTest.smallest(1, 1));
      net.initialize(m, 4);
      TrainStep step = new TrainStep(net, new GaussianDiffusion(NoiseSchedule.linear(),
          Prediction.EPSILON), 1e-3, null, m);
      assertTrue(step.acceptGradients(true));
      for (int i = 0; i < TrainStep.MAX_SKIPPED_IN_A_ROW; i++) {
        assertFalse(step.acceptGradients(false), "skip " + i);
      }
      assertTrue(step.acceptGradients(true), "a finite step resets the run of skips");
      assertEquals(TrainStep.MAX_SKIPPED_IN_A_ROW, step.skippedSteps());
      for (int i = 0; i < TrainStep.MAX_SKIPPED_IN_A_ROW; i++) {
        step.acceptGradients(false);
      }
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> step.acceptGradients(false));
      assertTrue(e.getMessage().contains("expected finite gradients, found none in 11 steps"),
          e.getMessage());
    }
  }
}
