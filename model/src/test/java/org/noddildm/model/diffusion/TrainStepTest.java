package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

class TrainStepTest {

  @Test
  void gradientsAreClippedToTheGlobalNormAndNonFiniteLossesStopBeforeTheUpdate() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = new Unet3d(SamplerTest.smallest(1, 1));
      net.initialize(m, 4);
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.linear(), Prediction.EPSILON);
      TrainStep step = new TrainStep(net, d, 1e-3, null, m);
      step.setMaxGradNorm(1e-3);
      NDArray x = Noise.gaussian(m, new Shape(2, 1, 4, 4, 4), new SplittableRandom(1)).mul(5);
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
}
