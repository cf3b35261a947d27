package org.noddildm.app.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.DwiSimulator;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.phantom.BrainPhantom;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.volume.Volume;

/**
 * The fitter on the digital brain phantom: the phantom's DWI on a protocol with Rician noise,
 * fitted inside the phantom's mask, errors against the ground truth, and (optionally) every
 * file written for a look in a viewer or a figure.
 */
final class PhantomFitBench {
  private PhantomFitBench() {}

  static void run(PrintWriter out, GradientTable table, double snr, long seed, Path dir)
      throws IOException {
    Phantom p = BrainPhantom.generate(PhantomConfig.defaults(seed));
    Volume clean = DwiSimulator.simulate(p, table, Diffusivities.IN_VIVO);
    Volume dwi = Degradation.addNoise(clean, Noise.RICIAN, Noise.sigma(1000, snr), seed);
    NoddiModel model = new NoddiModel(table, NoddiFitConfig.defaults());
    model.prepare();
    long t0 = System.nanoTime();
    VoxelMapper.Result r = VoxelMapper.map(dwi, p.mask(), table.b0Indices(), model,
        VoxelMapper.Fill.ZERO, null);
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "phantom seed %d, %s at %s mm, SNR %.0f (sigma = 1000/SNR): %s in"
        + " %.2f s%n", seed, p.grid().shape(), p.grid().voxelSizes()[0], snr,
        r.counts().summary(), secs);
    String[] names = {"NDI", "ODI", "FWF"};
    StringBuilder all = new StringBuilder("  MAE in the mask:");
    StringBuilder tissue = new StringBuilder("  MAE where true FWF < 0.5:");
    int[] idx = p.mask().indices();
    for (int q = 0; q < 3; q++) {
      Volume fit = r.maps().get(q);
      double sum = 0;
      double sumT = 0;
      int countT = 0;
      for (int i : idx) {
        double e = Math.abs(fit.at(i, 0) - p.maps().at(i, q));
        sum += e;
        if (p.maps().at(i, 2) < 0.5) {
          sumT += e;
          countT++;
        }
      }
      all.append(String.format(Locale.ROOT, " %s %.4f", names[q], sum / idx.length));
      tissue.append(String.format(Locale.ROOT, " %s %.4f", names[q], sumT / countT));
    }
    out.println(all);
    out.println(tissue);
    if (dir != null) {
      PhantomFiles.write(dir, p);
      NiftiWriter.write(dir.resolve("dwi.nii.gz"), dwi);
      GradientIO.writeFsl(table, dir.resolve("dwi.bval"), dir.resolve("dwi.bvec"));
      for (int q = 0; q < 3; q++) {
        NiftiWriter.write(dir.resolve("fit_" + names[q].toLowerCase(Locale.ROOT) + ".nii.gz"),
            r.maps().get(q));
      }
      out.println("  wrote the phantom, its noisy DWI (dwi.nii.gz/.bval/.bvec) and fit_*.nii.gz"
          + " to " + dir);
    }
    out.flush();
  }
}
