package org.noddildm.core.physics.dataset;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.DirectionSubset;
import org.noddildm.core.physics.degrade.AcquisitionVariation;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.degrade.RealDwiDegrader;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * A paired dataset made from a user's own high-resolution scans instead of simulations: the
 * target of each scan is the NODDI fit of the full scan (masked), the inputs are several short
 * low-resolution scans made from it the way a scanner would (k-space truncation with a drawn
 * apodisation and partial Fourier, a drawn number of well spread directions and b0 volumes,
 * noise at a drawn SNR). Each short scan is one subject of the {@link PairedDataset} layout, so
 * every trainer reads it as it reads simulated data. dataset.json says it comes from scans and
 * records each scan's SHA-256, so that a model trained on it can refuse to be scored on them.
 */
public final class ScanPairs {
  /** The value of dataset.json's "source" for datasets made from scans. */
  public static final String SOURCE = "high-resolution scans";

  private ScanPairs() {}

  /** One high-resolution scan: its name, image, gradients, brain mask (or null), SHA-256. */
  public record Scan(String id, Volume dwi, GradientTable table, Volume mask, String sha256) {}

  /**
   * How the short scans are drawn.
   *
   * @param factor downsampling factor (default 2)
   * @param copies short scans per high-resolution scan (default 4)
   * @param minDirections fewest directions per shell (default 20)
   * @param maxDirections most directions per shell, at most the scan's (default 45)
   * @param shells b-values of the two shells kept (default 1000, 2000)
   * @param minSnr lowest b0 SNR (default 15)
   * @param maxSnr highest b0 SNR (default 40)
   * @param seed the draws' seed
   */
  public record Settings(int factor, int copies, int minDirections, int maxDirections,
      double[] shells, double minSnr, double maxSnr, long seed) {
    public Settings {
      BadArgumentException.require(copies >= 1 && copies <= 100, "short scans per scan:"
          + " expected 1 to 100, found " + copies);
      BadArgumentException.require(minDirections >= 6 && maxDirections >= minDirections,
          "directions per shell: expected 6 <= min <= max, found " + minDirections + " and "
              + maxDirections);
      BadArgumentException.require(minSnr > 0 && maxSnr >= minSnr, "SNR: expected 0 < min <="
          + " max, found " + minSnr + " and " + maxSnr);
    }

    /** Factor 2, 4 copies, 20-45 directions on b = 1000 and 2000, SNR 15-40. */
    public static Settings defaults(long seed) {
      return new Settings(2, 4, 20, 45, new double[] {1000, 2000}, 15, 40, seed);
    }
  }

  /**
   * Writes a dataset into a new folder, one scan at a time (so that only one high-resolution
   * scan is in memory): sub-0001 ... in the order of {@link #add}, {@code copies} per scan, and
   * dataset.json last in {@link #finish}.
   */
  public static final class Writer {
    private final Path dir;
    private final Settings s;
    private final String software;
    private final java.util.function.Consumer<String> log;
    private final AcquisitionVariation acq = new AcquisitionVariation(1, 0.5, 1, 0.5);
    private final List<String> subjects = new ArrayList<>();
    private final JsonArray sources = new JsonArray();

    public Writer(Path dir, Settings s, String software,
        java.util.function.Consumer<String> log) throws IOException {
      this.dir = dir;
      this.s = s;
      this.software = software;
      this.log = log;
      Files.createDirectories(dir);
    }

    /** Adds the short scans of one high-resolution scan. */
    public void add(Scan scan) throws IOException {
      int f = s.factor();
      Volume hi = VolumeOps.cropToMultiple(scan.dwi(), f);
      Mask brain = scan.mask() == null ? BrainMask.automatic(hi, scan.table())
          : Mask.above(VolumeOps.cropToMultiple(scan.mask(), f), 0f);
      Volume target = brain.applyTo(ClassicEstimate.of(hi, scan.table(), brain).maps());
      log.accept(scan.id() + ": reference fit done (" + brain.count() + " brain voxels)");
      JsonObject src = new JsonObject();
      src.addProperty("id", scan.id());
      src.addProperty("sha256", scan.sha256());
      JsonArray subs = new JsonArray();
      for (int c = 0; c < s.copies(); c++) {
        int k = subjects.size() + 1;
        SplittableRandom rnd = new SplittableRandom(s.seed() * 1_000_003L + k);
        int perShell = s.minDirections() + rnd.nextInt(s.maxDirections() - s.minDirections()
            + 1);
        int b0 = 1 + rnd.nextInt(Math.min(6, scan.table().b0Indices().length));
        double snr = s.minSnr() + (s.maxSnr() - s.minSnr()) * rnd.nextDouble();
        Degradation d = acq.draw(new Degradation(f, true, Noise.RICIAN, snr, 0), rnd)
            .withNoise(snr, rnd.nextLong());
        int[] keep = DirectionSubset.select(scan.table(), perShell, s.shells(), b0);
        RealDwiDegrader.Result r = RealDwiDegrader.degrade(hi, scan.table(), keep, d);
        String name = DatasetSpec.subjectName(k);
        Path sub = dir.resolve(name);
        Files.createDirectories(sub);
        NiftiWriter.Options f32 = NiftiWriter.Options.defaults();
        NiftiWriter.write(sub.resolve(PhantomFiles.MAPS), target,
            f32.withDescription("NODDI fit of the full scan"));
        NiftiWriter.write(sub.resolve(PhantomFiles.MASK), brain.toVolume(),
            f32.withType(NiftiDataType.UINT8).withDescription("brain mask"));
        NiftiWriter.write(sub.resolve(PairedDataset.DWI), r.dwi(),
            f32.withDescription("short scan " + d.summary()));
        GradientIO.writeFsl(r.table(), sub.resolve(PairedDataset.BVAL),
            sub.resolve(PairedDataset.BVEC));
        NiftiWriter.write(sub.resolve(PairedDataset.MASK_LOWRES), d.lowMask(brain).toVolume(),
            f32.withType(NiftiDataType.UINT8).withDescription("low-resolution brain mask"));
        JsonObject info = new JsonObject();
        info.addProperty("scan", scan.id());
        info.addProperty("protocol", r.table().summary());
        info.addProperty("acquisition", d.summary());
        StrictJson.EXACT.write(sub.resolve(DatasetSimulator.SUBJECT_JSON), info);
        subjects.add(name);
        subs.add(name);
      }
      src.add("subjects", subs);
      sources.add(src);
    }

    /** Writes dataset.json; the folder is a paired dataset from then on. */
    public void finish() throws IOException {
      BadArgumentException.require(!subjects.isEmpty(), "scans: expected at least one, found"
          + " none");
      JsonObject o = new JsonObject();
      o.addProperty("format", PairedDataset.FORMAT);
      o.addProperty("version", 1);
      o.addProperty("software", software);
      o.addProperty("source", SOURCE);
      o.addProperty("seed", s.seed());
      o.add("scans", sources);
      JsonObject deg = new JsonObject();
      deg.addProperty("factor", s.factor());
      deg.addProperty("resampling", "kspace");
      deg.addProperty("varied_per_subject", String.format(Locale.ROOT, "%d-%d directions per"
          + " shell of b=%s, 1-6 b0, b0 SNR %.3g-%.3g, %s", s.minDirections(),
          s.maxDirections(), java.util.Arrays.toString(s.shells()), s.minSnr(), s.maxSnr(),
          acq.describe()));
      o.add("degradation", deg);
      JsonArray subs = new JsonArray();
      subjects.forEach(subs::add);
      o.add("subjects", subs);
      StrictJson.EXACT.write(dir.resolve(PairedDataset.JSON), o);
    }
  }
}
