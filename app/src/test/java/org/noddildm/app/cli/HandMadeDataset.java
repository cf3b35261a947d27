package org.noddildm.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * Completes a paired dataset written by hand for a command test (subject folders sub-0001, ...
 * holding at least noddi.nii.gz) into the layout {@link PairedDataset} reads: masks that cover
 * every voxel, a constant low-res scan (b0 and 4 directions) where a subject has none, and
 * dataset.json.
 */
final class HandMadeDataset {
  private HandMadeDataset() {}

  static Path complete(Path dir, int subjects, int factor) throws Exception {
    StringBuilder names = new StringBuilder();
    for (int s = 1; s <= subjects; s++) {
      String name = String.format("sub-%04d", s);
      names.append(s > 1 ? ", " : "").append('"').append(name).append('"');
      Path sub = dir.resolve(name);
      Grid hi = NiftiReader.read(sub.resolve(PhantomFiles.MAPS)).volume().grid();
      Grid lo = VolumeOps.downsampledGrid(hi, factor);
      NiftiWriter.write(sub.resolve(PhantomFiles.MASK), ones(hi, 1));
      NiftiWriter.write(sub.resolve(PairedDataset.MASK_LOWRES), ones(lo, 1));
      if (!Files.exists(sub.resolve(PairedDataset.DWI))) {
        Volume dwi = ones(lo, 5);
        for (int i = lo.size(); i < dwi.data().length; i++) {
          dwi.data()[i] = 0.4f;
        }
        NiftiWriter.write(sub.resolve(PairedDataset.DWI), dwi);
        GradientIO.writeFsl(GradientTable.of(new double[] {0, 1000, 1000, 1000, 1000},
            new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}}),
            sub.resolve(PairedDataset.BVAL), sub.resolve(PairedDataset.BVEC));
      }
    }
    Files.writeString(dir.resolve(PairedDataset.JSON), "{\"format\": \"" + PairedDataset.FORMAT
        + "\", \"degradation\": {\"factor\": " + factor + "}, \"subjects\": [" + names + "]}");
    return dir;
  }

  private static Volume ones(Grid g, int nt) {
    Volume v = Volume.zeros(g, nt);
    java.util.Arrays.fill(v.data(), 1f);
    return v;
  }
}
