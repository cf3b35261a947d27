package org.noddildm.core.physics.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.DirectionSubset;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.physics.ProtocolVariation;
import org.noddildm.core.physics.anatomy.AnatomicalPhantom;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.DwiSimulator;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.BrainPhantom;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Makes one subject of a paired dataset: the phantom, its high-resolution DWI for the scan's
 * directions, and the degraded low-resolution scan. The full high-resolution DWI is not kept
 * (only the maps are the target): with block averaging it is averaged block by block as it is
 * simulated, with k-space truncation it is held for the transform. Simulating only the kept
 * directions gives the same images as simulating the full protocol and dropping volumes.
 *
 * <p>An anatomical subject ({@link Anatomy} other than procedural) or a per-subject protocol
 * ({@link DatasetSpec#varyProtocol()}) or acquisition ({@link DatasetSpec#varyAcquisition()})
 * is recorded in the subject's {@value #SUBJECT_JSON}: the template, the drawn pose, the
 * protocol, the SNR and the acquisition.
 */
public final class DatasetSimulator {
  /** Per-subject provenance, written only for anatomical subjects or varied protocols. */
  public static final String SUBJECT_JSON = "subject.json";

  private DatasetSimulator() {}

  /**
   * One simulated subject.
   *
   * @param seconds wall-clock seconds spent on the phantom, the high-resolution DWI and the
   *     degradation (for benchmarks; not part of the data)
   * @param provenance what {@value #SUBJECT_JSON} records, or null when dataset.json says all
   */
  public record Subject(String name, Phantom phantom, Volume lowDwi, GradientTable table,
      Mask lowMask, double[] seconds, Map<String, Object> provenance) {}

  /** The gradient table of the low-resolution scan. */
  public static GradientTable scanTable(DatasetSpec spec) throws IOException {
    if (spec.protocol().startsWith(DatasetSpec.FILE_PREFIX)) {
      String[] f = spec.protocol().substring(DatasetSpec.FILE_PREFIX.length()).split(",");
      return GradientIO.readFsl(Path.of(f[0]), Path.of(f[1]));
    }
    Protocol scan = Protocol.parse(spec.protocol());
    if (spec.acquire() == null) {
      return scan.table();
    }
    GradientTable full = Protocol.parse(spec.acquire()).table();
    return full.select(DirectionSubset.select(full, scan));
  }

  /**
   * Subject {@code index} (1-based); deterministic in the spec. {@code table} is the scan's
   * protocol unless the spec varies it per subject.
   */
  public static Subject simulate(DatasetSpec spec, int index, GradientTable table) {
    long t0 = System.nanoTime();
    Map<String, Object> info = new LinkedHashMap<>();
    Phantom phantom;
    if (spec.anatomy() == Anatomy.PROCEDURAL) {
      phantom = BrainPhantom.generate(spec.phantom(index));
    } else {
      AnatomicalPhantom.Subject a = AnatomicalPhantom.generate(spec.anatomy(),
          spec.phantom(index), spec.anatomyVariation());
      phantom = a.phantom();
      info.put("anatomy", spec.anatomy().id());
      info.put("held_out", spec.anatomy().heldOut());
      info.put("template", a.source());
      info.put("pose", a.pose().describe());
    }
    long t1 = System.nanoTime();
    Degradation d = spec.degradation();
    double snr = d.snr();
    if (spec.varyProtocol() != null) {
      ProtocolVariation.Draw draw = spec.varyProtocol().draw(
          new SplittableRandom(spec.subjectSeed(index) ^ 0x2545F4914F6CDD1DL));
      table = draw.table();
      snr = draw.snr();
      info.put("protocol", table.summary());
      info.put("volumes", table.size());
      info.put("snr", snr);
    }
    if (spec.varyAcquisition() != null) {
      d = spec.varyAcquisition().draw(d,
          new SplittableRandom(spec.subjectSeed(index) ^ 0x7F4A7C159E3779B9L));
      info.put("acquisition", d.summary());
    }
    Degradation seeded = d.withNoise(snr, spec.subjectSeed(index) ^ 0x5DEECE66DL);
    Volume low;
    long t2;
    if (d.kspace()) {
      Volume hires = DwiSimulator.simulate(phantom, table, spec.diffusivities());
      t2 = System.nanoTime();
      low = seeded.apply(hires, DatasetSpec.S0_REFERENCE);
    } else {
      // block averaging block by block: the high-resolution DWI is never held in memory
      Volume blocks = DwiSimulator.simulateBlockAveraged(phantom, table,
          spec.diffusivities(), d.factor());
      t2 = System.nanoTime();
      low = seeded.applyNoise(blocks, DatasetSpec.S0_REFERENCE);
    }
    Mask lowMask = seeded.lowMask(phantom.mask());
    long t3 = System.nanoTime();
    return new Subject(DatasetSpec.subjectName(index), phantom, low, table, lowMask,
        new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9},
        info.isEmpty() ? null : info);
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
    if (s.provenance() != null) {
      StrictJson.EXACT.write(subjectDir.resolve(SUBJECT_JSON), s.provenance());
    }
  }
}
