package org.noddildm.model.predict;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.core.volume.VoxelOrder;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;

/**
 * High-resolution NODDI maps from a low-resolution scan, in one call: what {@code noddi predict},
 * the demo and the benchmarks share.
 *
 * <p>The flow: the scan is brought into the canonical voxel order ({@link VoxelOrder}, axis
 * permutations and flips, gradients turned to match); the brain mask is found (median Otsu of
 * the mean b0) or taken from the caller; the chosen estimate is made on the canonical grid
 * (the refiner: classic fit + learned correction; the diffusion model: shell features ->
 * condition -> DDIM -> decoder; or the classic pipeline alone); the maps are set to 0 outside
 * the brain and put back into the scan's own voxel order on its upsampled grid. So the same
 * scan stored in another voxel order gives the same maps.
 */
public final class Predictor implements AutoCloseable {
  /**
   * The maps and what goes with them, all on the scan's upsampled grid in the scan's order.
   *
   * @param maps NDI, ODI, FWF (0 outside the brain)
   * @param sd per-voxel standard deviation over diffusion samples (calibrated when the model
   *     has a calibration), or null
   * @param lower the calibrated interval's lower bound, or null without a calibration
   * @param upper its upper bound, or null
   * @param mask the brain
   * @param provenance the method, settings, voxel order, mask source, calibration and model
   */
  public record Result(Volume maps, Volume sd, Volume lower, Volume upper, Mask mask,
      JsonObject provenance) {}

  private final Path dir;
  private final NDManager manager;
  private final Refiner refiner;
  private final ModelBundle ldm;
  private ModelBundle.Loaded ldmLoaded;
  private boolean rawSpread;

  private Predictor(Path dir, NDManager manager, Refiner refiner, ModelBundle ldm) {
    this.dir = dir;
    this.manager = manager;
    this.refiner = refiner;
    this.ldm = ldm;
  }

  /**
   * Opens a model directory: a {@value ModelBundle#FORMAT} directory (its diffusion model, and
   * its {@value ModelBundle#REFINER} folder when present) or a refiner directory of
   * {@code noddi train-refiner}.
   */
  public static Predictor open(Path dir, Device device) throws IOException {
    NDManager m = Engines.newManager(device);
    // initialising and loading the networks writes into their parameters in place, which
    // PyTorch refuses where the thread records gradients (every thread but the one that
    // loaded the engine, e.g. a --nthreads pool's)
    boolean grad = Engines.gradMode();
    Engines.setGradMode(false);
    try {
      if (RefinerCheckpoints.isRefiner(dir)) {
        return new Predictor(dir, m, RefinerCheckpoints.load(dir, m), null);
      }
      ModelBundle ldm = ModelBundle.open(dir);
      Refiner refiner = ldm.refiner() != null ? RefinerCheckpoints.load(ldm.refiner(), m) : null;
      return new Predictor(dir, m, refiner, ldm);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    } finally {
      Engines.setGradMode(grad);
    }
  }

  /**
   * From now on the diffusion model's sd is the raw spread of its samples, without the model's
   * calibration and without an interval: what {@code noddi calibrate} measures.
   */
  public Predictor withRawSpread() {
    rawSpread = true;
    return this;
  }

  /** The best estimate this model makes: the refiner when it has one, else the diffusion model. */
  public PredictOptions.Method defaultMethod() {
    return refiner != null ? PredictOptions.Method.REFINE : PredictOptions.Method.LDM;
  }

  /** Whether the model can make this estimate. */
  public boolean supports(PredictOptions.Method method) {
    return switch (method) {
      case REFINE -> refiner != null;
      case LDM -> ldm != null;
      case CLASSIC -> true;
    };
  }

  /** High-res voxels per low-res voxel of the estimate. */
  public int factor(PredictOptions.Method method) throws IOException {
    return switch (method) {
      case LDM -> loadLdm().factor();
      default -> refiner != null ? refiner.config().factor() : loadLdm().factor();
    };
  }

  /**
   * The maps of {@code scan}.
   *
   * @param scan the low-resolution DWI in any voxel order
   * @param table its gradients (FSL convention)
   * @param mask the brain on the scan's grid or on the output grid (nonzero = brain), or null
   *     for the automatic mask
   * @param useMask false to keep the estimate outside the brain too
   * @param o the method and its settings
   * @param progress called with the work done so far (may be null)
   */
  public Result predict(Volume scan, GradientTable table, Volume mask, boolean useMask,
      PredictOptions o, LongConsumer progress) throws IOException {
    // PyTorch's grad mode is per thread and off only on the thread that loaded the engine; a
    // prediction from a worker thread (a --nthreads pool) must not record gradients either
    boolean grad = Engines.gradMode();
    Engines.setGradMode(false);
    try {
      return predictWithoutGradients(scan, table, mask, useMask, o, progress);
    } finally {
      Engines.setGradMode(grad);
    }
  }

  private Result predictWithoutGradients(Volume scan, GradientTable table, Volume mask,
      boolean useMask, PredictOptions o, LongConsumer progress) throws IOException {
    BadArgumentException.require(supports(o.method()), "method: this model has no "
        + o.method().name().toLowerCase(java.util.Locale.ROOT) + " part; expected one of its"
        + " parts (" + parts() + ")");
    table.requireVolumes(scan.nt());
    if (o.method() != PredictOptions.Method.LDM || loadLdm().residual() != null) {
      BadArgumentException.require(table.b0Indices().length > 0 && table.shells().size() >= 2,
          "method " + o.method().name().toLowerCase(java.util.Locale.ROOT) + ": expected a scan"
          + " with a b0 and at least two diffusion-weighted shells (the NODDI fit needs them),"
          + " found " + table.summary());
    }
    int f = factor(o.method());
    Grid hiOut = VolumeOps.upsampledGrid(scan.grid(), f);
    VoxelOrder order = VoxelOrder.toCanonical(scan.grid());
    Volume cScan = order.toCanonical(scan);
    GradientTable cTable = table.inCanonicalOrder(order);
    Grid lo = cScan.grid();
    Grid hi = VolumeOps.upsampledGrid(lo, f);
    JsonObject prov = new JsonObject();
    // the brain, on both grids
    Mask lowMask;
    Mask hiMask;
    String source;
    if (mask == null) {
      int[] b0 = BrainMask.requireB0(cTable);
      lowMask = BrainMask.automatic(cScan, cTable);
      hiMask = lowMask.upsampledTo(hi);
      source = "median Otsu of the scan's mean b0 (" + b0.length + " volumes)";
    } else {
      Volume cm = order.toCanonical(mask);
      if (cm.nx() == hi.nx() && cm.ny() == hi.ny() && cm.nz() == hi.nz()) {
        hiMask = Mask.above(cm, 0f);
        lowMask = Mask.above(VolumeOps.downsample(hiMask.toVolume(), f), 0f);
        source = "given on the output grid";
      } else if (cm.nx() == lo.nx() && cm.ny() == lo.ny() && cm.nz() == lo.nz()) {
        lowMask = Mask.above(cm, 0f);
        hiMask = lowMask.upsampledTo(hi);
        source = "given on the scan's grid";
      } else {
        throw new BadArgumentException("mask: expected the scan's grid " + scan.grid().shape()
            + " or the output grid " + hiOut.shape() + ", found " + mask.grid().shape());
      }
    }
    Volume maps;
    Volume sd = null;
    Volume lower = null;
    Volume upper = null;
    switch (o.method()) {
      case LDM -> {
        ModelBundle.Loaded l = loadLdm();
        DdimSampler sampler = new DdimSampler(l.diffusion(), o.steps(), o.eta());
        IntConsumer p = progress == null ? null : progress::accept;
        ConditionalGenerator.Maps g;
        if (l.residual() != null) {
          ClassicEstimate classic = ClassicEstimate.of(cScan, cTable, lowMask);
          Volume refined = hiMask.applyTo(refiner.refine(classic));
          g = l.residual().generate(refined, classic.features(), sampler, o.samples(), o.seed(), o.tile(),
              o.overlap(), p, manager);
          prov.add("refiner", refinerProvenance());
        } else {
          Volume features = l.condition().features(cScan, cTable);
          g = l.generator().generate(features, hi, sampler, o.samples(), o.seed(), o.tile(),
              o.overlap(), p, manager);
        }
        maps = g.mean();
        sd = o.samples() > 1 ? g.std() : null;
        SpreadCalibration cal = rawSpread ? null : ldm.calibration();
        if (sd != null && cal != null) {
          SpreadCalibration.Interval iv = cal.apply(maps, sd);
          sd = iv.sd();
          lower = iv.lower();
          upper = iv.upper();
          prov.addProperty("calibration", cal.describe());
        } else if (sd != null) {
          prov.addProperty("calibration", "none: sd is the raw spread of the samples");
        }
        prov.add("model", l.provenance());
        prov.addProperty("steps", o.steps());
        prov.addProperty("eta", o.eta());
        prov.addProperty("samples", o.samples());
        prov.addProperty("seed", o.seed());
        prov.addProperty("tile", o.tile());
        prov.addProperty("overlap", o.overlap());
      }
      case REFINE -> {
        maps = refiner.refine(ClassicEstimate.of(cScan, cTable, lowMask));
        prov.add("refiner", refinerProvenance());
      }
      default -> maps = ClassicEstimate.of(cScan, cTable, lowMask).upsampled(hi);
    }
    if (useMask) {
      maps = hiMask.applyTo(maps);
      sd = sd == null ? null : hiMask.applyTo(sd);
      lower = lower == null ? null : hiMask.applyTo(lower);
      upper = upper == null ? null : hiMask.applyTo(upper);
    }
    prov.addProperty("method", o.method().name().toLowerCase(java.util.Locale.ROOT));
    prov.addProperty("voxelOrder", order.sourceCodes() + (order.isIdentity() ? " (canonical)"
        : " -> LAS for the model -> " + order.sourceCodes()));
    prov.addProperty("mask", useMask ? source : "none");
    return new Result(order.fromCanonical(maps, hiOut), back(order, sd, hiOut),
        back(order, lower, hiOut), back(order, upper, hiOut), useMask ? Mask.above(
            order.fromCanonical(hiMask.toVolume(), hiOut), 0f) : null, prov);
  }

  /** A canonical-order volume in the scan's order, or null. */
  private static Volume back(VoxelOrder order, Volume v, Grid hiOut) {
    return v == null ? null : order.fromCanonical(v, hiOut);
  }

  /** Work units {@link #predict} reports for the diffusion model (its sampling steps). */
  public long totalWork(Grid scanGrid, PredictOptions o) throws IOException {
    if (o.method() != PredictOptions.Method.LDM) {
      return 1;
    }
    ModelBundle.Loaded l = loadLdm();
    Grid c = VoxelOrder.toCanonical(scanGrid).canonicalGrid();
    DdimSampler sampler = new DdimSampler(l.diffusion(), o.steps(), o.eta());
    if (l.residual() != null) {
      return l.residual().totalSteps(VolumeOps.upsampledGrid(c, l.factor()), sampler,
          o.samples(), o.tile(), o.overlap());
    }
    return l.generator().totalSteps(l.condition().highGrid(c), sampler, o.samples(), o.tile(),
        o.overlap());
  }

  private String parts() {
    return (refiner != null ? "refine, " : "") + (ldm != null ? "ldm, " : "") + "classic";
  }

  private synchronized ModelBundle.Loaded loadLdm() throws IOException {
    BadArgumentException.require(ldm != null, "method ldm: expected a diffusion model in " + dir
        + ", found only a refiner");
    if (ldmLoaded == null) {
      ldmLoaded = ldm.load(manager);
    }
    return ldmLoaded;
  }

  private JsonObject refinerProvenance() throws IOException {
    JsonObject j = RefinerCheckpoints.readJson(ldm == null ? dir : ldm.refiner());
    JsonObject p = new JsonObject();
    p.add("config", j.get("config"));
    p.add("step", j.get("step"));
    p.add("seed", j.get("seed"));
    p.add("data", ProvenanceScrubber.scrub(j.get("data")));
    return p;
  }

  @Override
  public void close() {
    manager.close();
  }
}
