package org.noddildm.model.vqgan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;

class LossesTest {
  @Test
  void lossTermsFollowTheirFormulas() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      NDArray x = m.arange(64f).reshape(1, 1, 4, 4, 4).div(64f);
      // a constant offset: L1 = offset, the gradient term ignores it
      assertEquals(0.1, Losses.l1(x, x.add(0.1f)).getFloat(), 1e-6);
      assertEquals(0.0, Losses.gradientL1(x, x.add(0.1f)).getFloat(), 1e-6);
      // an error growing by 0.01 per step along W only: mean |d_w e| = 0.01
      NDArray ramp = m.arange(4f).mul(0.01f).reshape(1, 1, 1, 1, 4).broadcast(new Shape(1, 1,
          4, 4, 4));
      assertEquals(0.01, Losses.gradientL1(x, x.add(ramp)).getFloat(), 1e-6);
      // hinge: logits real +2 (no loss), fake -0.5 (loss 0.5); generator -mean D(fake)
      NDArray real = m.full(new Shape(3), 2f);
      NDArray fake = m.full(new Shape(3), -0.5f);
      assertEquals(0.5, Losses.discriminatorHinge(real, fake).getFloat(), 1e-6);
      assertEquals(0.5, Losses.generatorAdversarial(fake).getFloat(), 1e-6);
    }
  }
}
