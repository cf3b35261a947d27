package org.noddildm.core.physics;

import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Makes one subject of a paired dataset: the phantom, its high-resolution DWI for the scan's
 * directions, and the degraded low-resolution scan. The full high-resolution DWI is not kept
 * (only the maps are the target), and simulating only the kept directions gives the same
 * images as simulating the full protocol and dropping volumes.
 */
public final class DatasetSimulator {
  private DatasetSimulator() {}

  /** One simulated subject. */
  public record Subject(String name, Phantom phantom, Volume lowDwi, GradientTable table,
      Mask lowMask) {}

  /** The gradient table of the low-resolution scan. */
  public static GradientTable scanTable(DatasetSpec spec) {
    Protocol scan = Protocol.parse(spec.protocol());
    if (spec.acquire() == null) {
      return scan.table();
    }
    GradientTable full = Protocol.parse(spec.acquire()).table();
    return full.select(DirectionSubset.select(full, scan));
  }

  /** Subject {@code index} (1-based); deterministic in the spec. */
  public static Subject simulate(DatasetSpec spec, int index, GradientTable table) {
    Phantom phantom = BrainPhantom.generate(spec.phantom(index));
    Volume hires = DwiSimulator.simulate(phantom, table, spec.diffusivities());
    Degradation d = spec.degradation();
    Degradation seeded = new Degradation(d.factor(), d.kspace(), d.noise(), d.snr(),
        spec.subjectSeed(index) ^ 0x5DEECE66DL);
    Volume low = seeded.apply(hires, DatasetSpec.S0_REFERENCE);
    return new Subject(DatasetSpec.subjectName(index), phantom, low, table,
        seeded.lowMask(phantom.mask()));
  }

  /** Writes the subject's folder in the paired-dataset layout. */
  public static void write(Path subjectDir, Subject s) throws IOException {
    PhantomFiles.write(subjectDir, s.phantom());
    NiftiWriter.Options f32 = NiftiWriter.Options.defaults();
    NiftiWriter.write(subjectDir.resolve(PairedDataset.DWI), s.lowDwi(),
        f32.withDescription("simulated low-resolution DWI"));
    GradientIO.writeFsl(s.table(), subjectDir.resolve(PairedDataset.BVAL),
        subjectDir.resolve(PairedDataset.BVEC));
    NiftiWriter.write(subjectDir.resolve(PairedDataset.MASK_LOWRES), s.lowMask().toVolume(),
        f32.withType(NiftiDataType.UINT8).withDescription("low-resolution brain mask"));
  }
}
