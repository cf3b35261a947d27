package org.noddildm.model.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.metrics.ErrorModel;
import org.noddildm.core.metrics.SpreadCalibration;

class CalibrationFileTest {
  private static double[][] grid(double base) {
    return new double[][] {{base, base + 1, base + 2}, {base + 3, base + 4, base + 5},
        {base + 6, base + 7, base + 8}};
  }

  @Test
  void roundTripKeepsScalesSdScalesErrorModelAndSampleScales(@TempDir Path dir) throws Exception {
    double[][] w = new double[3][6];
    for (int t = 0; t < 3; t++) {
      for (int k = 0; k < 6; k++) {
        w[t][k] = 0.1 * t - 0.25 * k;
      }
    }
    SpreadCalibration c = new SpreadCalibration(0.9, grid(1), grid(0.5),
        new long[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, "seed 21", new ErrorModel(w),
        new double[] {1.5, 1.25, 1.0});
    ModelBundle.writeCalibration(dir, c);
    assertTrue(Files.readString(dir.resolve(ModelBundle.CALIBRATION))
        .contains("noddi-calibration/2"));
    SpreadCalibration back = ModelBundle.readCalibration(dir);
    assertEquals(0.9, back.level());
    for (int t = 0; t < 3; t++) {
      assertArrayEquals(c.scale()[t], back.scale()[t]);
      assertArrayEquals(c.sdScale()[t], back.sdScale()[t]);
      assertArrayEquals(c.count()[t], back.count()[t]);
      assertArrayEquals(w[t], back.errorModel().weights()[t]);
    }
    assertEquals("seed 21", back.data());
    assertArrayEquals(new double[] {1.5, 1.25, 1.0}, back.sampleScale());
  }

  @Test
  void aFormatOneCalibrationHasNoSdScaleErrorModelOrSampleScale(@TempDir Path dir) throws Exception {
    ModelBundle.writeCalibration(dir, new SpreadCalibration(0.9, grid(1),
        new long[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, "seed 21"));
    assertTrue(Files.readString(dir.resolve(ModelBundle.CALIBRATION))
        .contains("noddi-calibration/1"));
    SpreadCalibration back = ModelBundle.readCalibration(dir);
    assertNull(back.sdScale());
    assertNull(back.errorModel());
    assertNull(back.sampleScale());
    assertArrayEquals(grid(1)[2], back.scale()[2]);
  }

  @Test
  void anErrorModelOfTheWrongShapeIsABadFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(ModelBundle.CALIBRATION), "{\"format\":"
        + " \"noddi-calibration/2\", \"level\": 0.9, \"scale\": [[1,1,1],[1,1,1],[1,1,1]],"
        + " \"count\": [[1,1,1],[1,1,1],[1,1,1]], \"data\": \"x\", \"errorModel\":"
        + " {\"weights\": [[1, 2]]}}");
    BadFileException e = assertThrows(BadFileException.class,
        () -> ModelBundle.readCalibration(dir));
    assertTrue(e.getMessage().contains("error model: expected 3 maps x 6 weights"),
        e.getMessage());
  }
}
