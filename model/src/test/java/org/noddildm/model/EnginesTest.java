package org.noddildm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;

class EnginesTest {
  @Test
  void loadsPyTorchOfflineFromTheClassPath() {
    assertEquals("PyTorch", Engines.pytorch().getEngineName());
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertTrue(Engines.describe().startsWith("PyTorch 2.7.1"), Engines.describe());
  }

  @Test
  void namesDevicesAndRejectsUnknownOnes() {
    assertEquals(Device.cpu(), Engines.device("CPU"));
    var e = assertThrows(BadArgumentException.class, () -> Engines.device("tpu"));
    assertTrue(e.getMessage().contains("expected cpu, gpu or gpu:N, found tpu"), e.getMessage());
    if (Engines.pytorch().getGpuCount() == 0) {
      var g = assertThrows(BadArgumentException.class, () -> Engines.device("gpu"));
      assertTrue(g.getMessage().contains("expected a CUDA GPU, found 0"), g.getMessage());
    }
  }
}
