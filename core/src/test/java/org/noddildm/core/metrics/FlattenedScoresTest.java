package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.testing.ExternalTools;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class FlattenedScoresTest {
  /** The original system's scoring, written out in Python on the files nibabel reads. */
  private static final String SCRIPT = String.join("\n",
      "import sys, nibabel as nib",
      "from skimage.metrics import peak_signal_noise_ratio as psnr, structural_similarity as ssim",
      "gt = nib.load(sys.argv[1]).get_fdata().reshape(-1, 3)",
      "pr = nib.load(sys.argv[2]).get_fdata().reshape(-1, 3)",
      "r = gt.max() - gt.min()",
      "print(repr(psnr(gt, pr, data_range=r)), repr(ssim(gt, pr, data_range=r, channel_axis=1)))",
      "");

  @Test
  void matchesTheOriginalSystemsScikitImageScoring(@TempDir Path tmp) throws Exception {
    ExternalTools.requirePython("skimage");
    ExternalTools.requirePython("nibabel");
    Grid g = Grid.of(9, 8, 7, 1.0);
    SplittableRandom r = new SplittableRandom(3);
    float[] a = new float[g.size() * 3];
    float[] b = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = (i / 7) % 5 == 0 ? 0f : (float) r.nextDouble();
      b[i] = (float) Math.max(0, a[i] + 0.1 * r.nextGaussian());
    }
    Volume truth = new Volume(g, 3, a);
    Volume pred = new Volume(g, 3, b);
    NiftiWriter.write(tmp.resolve("t.nii"), truth);
    NiftiWriter.write(tmp.resolve("p.nii"), pred);
    String[] out = ExternalTools.python(SCRIPT, tmp.resolve("t.nii").toString(),
        tmp.resolve("p.nii").toString()).trim().split(" ");
    FlattenedScores s = FlattenedScores.of(truth, pred);
    assertEquals(Double.parseDouble(out[0]), s.psnr(), 1e-6);
    assertEquals(Double.parseDouble(out[1]), s.ssim(), 1e-6);
  }
}
