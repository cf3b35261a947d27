package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class CheckNoiseCommandTest {
  private static Volume noise(long seed, double rho) {
    Grid g = Grid.of(48, 48, 48, 1.0);
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[g.size()];
    double prev = 0;
    for (int i = 0; i < d.length; i++) {
      prev = rho * prev + rng.nextGaussian();
      d[i] = (float) prev;
    }
    return Volume.of(g, d);
  }

  @Test
  void gaussianNoiseVolumePassesAndSmoothedNoiseFailsStrictly(@TempDir Path dir)
      throws Exception {
    Path white = dir.resolve("white.nii.gz");
    Path red = dir.resolve("red.nii.gz");
    NiftiWriter.write(white, noise(1, 0));
    NiftiWriter.write(red, noise(2, 0.3));
    var r = CliRunner.run("dev", "check-noise", white.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("white noise    yes"), r.out());
    r = CliRunner.run("dev", "check-noise", red.toString(), "--strict");
    assertEquals(3, r.exitCode(), r.err());
    assertTrue(r.out().contains("worst lag      1 "), r.out());
  }

  @Test
  void readsFloat32NpyArrays(@TempDir Path dir) throws Exception {
    float[] v = noise(3, 0).data();
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + v.length + ",), }";
    int pad = 64 - (10 + header.length() + 1) % 64;
    header = header + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * v.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
        .put((byte) 0).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (float f : v) {
      b.putFloat(f);
    }
    Path npy = dir.resolve("latent.npy");
    Files.write(npy, b.array());
    assertEquals(v.length, Npy.readFloats(npy).length);
    assertEquals(v[17], Npy.readFloats(npy)[17]);
    var r = CliRunner.run("dev", "check-noise", npy.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("samples        " + v.length), r.out());
  }
}
