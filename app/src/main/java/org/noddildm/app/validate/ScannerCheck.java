package org.noddildm.app.validate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.fit.SplitHalfNoise;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.SampleMetrics;
import org.noddildm.core.physics.DirectionSubset;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.KSpaceFilter;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.degrade.RealDwiDegrader;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;

/**
 * The self-check on a user's own scanner, for one high-resolution multi-shell scan: the NODDI
 * fit of the full scan is the reference; the scan is made into a short low-resolution one the
 * way a scanner would make it (k-space truncation, a subset of well spread directions, noise
 * to a given SNR); every method predicts from that; each is scored against the reference. The
 * reference is itself a fit of noisy data, not a truth: its own noise is estimated by fitting
 * two halves of the directions ({@link SplitHalfNoise}).
 */
public final class ScannerCheck {
  private ScannerCheck() {}

  /** The methods, in table order. */
  public enum Method {
    /** NODDI fit of the short scan, trilinear upsampling. */
    CLASSIC("(a) low-res fit + trilinear"),
    /** NODDI fit of the trilinearly upsampled short scan. */
    UPSAMPLED_FIT("(a2) fit of the upsampled scan"),
    /** The refiner. */
    REFINE("(r) refiner"),
    /** The diffusion model, mean of its samples. */
    LDM("diffusion model");

    final String label;

    Method(String label) {
      this.label = label;
    }

    /** "(r) refiner". */
    public String label() {
      return label;
    }

    /** Parses classic, a2, refine or ldm. */
    public static Method parse(String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "classic", "a" -> CLASSIC;
        case "a2" -> UPSAMPLED_FIT;
        case "refine", "r" -> REFINE;
        case "ldm" -> LDM;
        default -> throw new BadArgumentException("method: expected classic, a2, refine or"
            + " ldm, found '" + s + "'");
      };
    }
  }

  /**
   * How the short scan is made and predicted.
   *
   * @param factor downsampling factor per axis (default 2)
   * @param directions well spread directions kept per shell (default 30)
   * @param shells b-values of the shells kept, or null for all (default 1000, 2000)
   * @param b0 b0 volumes kept (default 4)
   * @param snr b0 SNR of the added noise, relative to the scan's reference b0 (default 30)
   * @param filter the k-space reconstruction's filter (default none)
   * @param seed noise and sampling seed (default 1)
   * @param methods the methods to run (default all the model has)
   * @param samples diffusion samples (default 4)
   * @param steps DDIM steps (default 10)
   */
  public record Settings(int factor, int directions, double[] shells, int b0, double snr,
      KSpaceFilter filter, long seed, List<Method> methods, int samples, int steps) {
    public Settings {
      BadArgumentException.require(directions >= 3, "directions per shell: expected >= 3,"
          + " found " + directions);
      BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
      BadArgumentException.require(!methods.isEmpty(), "methods: expected at least one, found"
          + " none");
    }

    /** The degradation of the short scan. */
    public Degradation degradation() {
      return new Degradation(factor, true, filter, Noise.RICIAN, snr, seed);
    }
  }

  /** Where each output file of a scan is written, by its file name. */
  @FunctionalInterface
  public interface Outputs {
    /** The path to write the file {@code name} to. */
    Path file(String name) throws IOException;
  }

  /** One method's result. */
  public record MethodResult(Method method, ValidationScores scores, double seconds) {}

  /**
   * One scan's result.
   *
   * @param id the scan's name in the report
   * @param grid the (cropped) high-resolution grid
   * @param lowGrid the short scan's grid
   * @param fullProtocol the high-resolution scan's protocol
   * @param shortProtocol the short scan's protocol
   * @param acquisition how the short scan was made
   * @param s0Reference the b0 level the SNR refers to
   * @param referenceSd per map, the reference fit's noise sd (split halves)
   * @param sharedB0 true when the halves shared the only b0 (sd then too low)
   * @param brainVoxels voxels in the brain mask
   * @param maskSource where the mask came from
   * @param methods each method's scores
   */
  public record ScanResult(String id, String grid, String lowGrid, String fullProtocol,
      String shortProtocol, String acquisition, double s0Reference, double[] referenceSd,
      boolean sharedB0, int brainVoxels, String maskSource, List<MethodResult> methods) {
    /** What a perfect prediction would score per map against this reference. */
    public double[] psnrCeiling() {
      return new SplitHalfNoise.Result(referenceSd, null, sharedB0)
          .psnrCeiling(ErrorMetrics.NODDI_RANGE);
    }
  }

  /**
   * Runs the check on one scan and writes its images to {@code dir}: the reference maps and
   * mask, the short scan and each method's maps (and the diffusion model's sd and interval).
   *
   * @param mask the brain on the scan's grid (non-zero inside), or null for the automatic one
   */
  public static ScanResult run(String id, Volume dwi, GradientTable table, Volume mask,
      Settings s, Predictor predictor, Outputs dir, Consumer<String> log) throws IOException {
    table.requireVolumes(dwi.nt());
    BadArgumentException.require(table.shells().size() >= 2 && table.b0Indices().length >= 1,
        id + ": expected a high-resolution scan with a b0 and at least two shells, found "
            + table.summary());
    Volume hi = VolumeOps.cropToMultiple(dwi, s.factor());
    Mask brain;
    String maskSource;
    if (mask != null) {
      BadArgumentException.require(mask.grid().sameSize(dwi.grid()), id + ": expected a brain"
          + " mask of the scan's grid " + dwi.grid().shape() + ", found " + mask.grid().shape());
      brain = Mask.above(VolumeOps.cropToMultiple(mask, s.factor()), 0f);
      maskSource = "given";
    } else {
      brain = BrainMask.automatic(hi, table);
      maskSource = "median Otsu of the full scan's mean b0";
    }
    BadArgumentException.require(brain.count() > 0, id + ": expected brain voxels in the"
        + " mask, found none");
    long t0 = System.nanoTime();
    log.accept(id + ": reference fit of the full scan (" + table.summary() + ", "
        + brain.count() + " brain voxels)");
    Volume ref = brain.applyTo(ClassicEstimate.of(hi, table, brain).maps());
    SplitHalfNoise.Result noise = SplitHalfNoise.estimate(hi, table, brain,
        ErrorMetrics.FREE_WATER);
    log.accept(String.format(Locale.ROOT, "%s: reference and split-half noise in %.1f s", id,
        (System.nanoTime() - t0) / 1e9));
    int[] keep = DirectionSubset.select(table, s.directions(), s.shells(), s.b0());
    Degradation d = s.degradation();
    RealDwiDegrader.Result shortScan = RealDwiDegrader.degrade(hi, table, keep, d);
    Mask lowBrain = d.lowMask(brain);
    NiftiWriter.Options f32 = NiftiWriter.Options.defaults();
    NiftiWriter.write(dir.file("reference_noddi.nii.gz"), ref,
        f32.withDescription("NODDI fit of the full scan"));
    NiftiWriter.write(dir.file("mask.nii.gz"), brain.toVolume(),
        f32.withType(NiftiDataType.UINT8).withDescription("brain mask"));
    NiftiWriter.write(dir.file("short_dwi.nii.gz"), shortScan.dwi(),
        f32.withDescription("short scan " + d.summary()));
    GradientIO.writeFsl(shortScan.table(), dir.file("short_dwi.bval"),
        dir.file("short_dwi.bvec"));
    List<MethodResult> results = new ArrayList<>();
    for (Method m : s.methods()) {
      if ((m == Method.REFINE && !predictor.supports(PredictOptions.Method.REFINE))
          || (m == Method.LDM && !predictor.supports(PredictOptions.Method.LDM))) {
        log.accept(id + ": the model has no " + m.label() + "; skipped");
        continue;
      }
      long tm = System.nanoTime();
      Volume maps;
      Volume lower = null;
      Volume upper = null;
      String name = m.name().toLowerCase(Locale.ROOT);
      if (m == Method.UPSAMPLED_FIT) {
        maps = brain.applyTo(ClassicEstimate.fitOfUpsampledScan(shortScan.dwi(),
            shortScan.table(), lowBrain, hi.grid()));
      } else {
        PredictOptions o = PredictOptions.defaults().withMethod(switch (m) {
          case CLASSIC -> PredictOptions.Method.CLASSIC;
          case REFINE -> PredictOptions.Method.REFINE;
          default -> PredictOptions.Method.LDM;
        }).withSampling(s.steps(), 0, s.samples(), s.seed());
        Predictor.Result r = predictor.predict(shortScan.dwi(), shortScan.table(),
            brain.toVolume(), true, o, null);
        maps = new Volume(hi.grid(), 3, r.maps().data());
        if (r.sd() != null) {
          // the model's calibrated interval, or mean +- 1.645 sd of an uncalibrated model
          lower = r.lower() != null ? new Volume(hi.grid(), 3, r.lower().data())
              : SampleMetrics.bound(maps, r.sd(), -1.645);
          upper = r.upper() != null ? new Volume(hi.grid(), 3, r.upper().data())
              : SampleMetrics.bound(maps, r.sd(), 1.645);
          NiftiWriter.write(dir.file(name + "_sd.nii.gz"), new Volume(hi.grid(), 3,
              r.sd().data()), f32.withDescription("sd over samples"));
          NiftiWriter.write(dir.file(name + "_lower.nii.gz"), lower,
              f32.withDescription("90% interval, lower"));
          NiftiWriter.write(dir.file(name + "_upper.nii.gz"), upper,
              f32.withDescription("90% interval, upper"));
        }
      }
      double sec = (System.nanoTime() - tm) / 1e9;
      NiftiWriter.write(dir.file(name + "_noddi.nii.gz"), maps,
          f32.withDescription(m.label()));
      ValidationScores sc = ValidationScores.of(maps, ref, brain, lower, upper);
      log.accept(String.format(Locale.ROOT, "%s: %s %.2f dB (%.1f s)", id, m.label(),
          sc.meanPsnr(), sec));
      results.add(new MethodResult(m, sc, sec));
    }
    return new ScanResult(id, hi.grid().shape(), shortScan.dwi().grid().shape(),
        table.summary(), shortScan.table().summary(), d.summary(), shortScan.s0Reference(),
        noise.sd(), noise.sharedB0(), brain.count(), maskSource, results);
  }
}
