package org.noddildm.model.predict;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.metrics.ErrorFeatures;
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.core.volume.VoxelOrder;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.estimate.ClassicEstimator;
import org.noddildm.model.estimate.Estimate;
import org.noddildm.model.estimate.Estimator;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.estimate.RefinerEstimator;
import org.noddildm.model.estimate.ScanInput;
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
   * @param errorFeatures {@link ErrorFeatures#all} of a sampling estimate, only from a
   *     {@link #withRawSpread} predictor (what {@code noddi calibrate} fits); else null
   * @param center with one sample, the posterior mean it was drawn around, only from a
   *     {@link #withRawSpread} predictor; else null
   */
  public record Result(Volume maps, Volume sd, Volume lower, Volume upper, Mask mask,
      JsonObject provenance, Volume errorFeatures, Volume center) {}

  private final Path dir;
  private final NDManager manager;
  private final RefinerEstimator refiner;
  private final ModelBundle bundle;
  private Estimator diffusion;
  private boolean rawSpread;

  private Predictor(Path dir, NDManager manager, RefinerEstimator refiner, ModelBundle bundle) {
    this.dir = dir;
    this.manager = manager;
    this.refiner = refiner;
    this.bundle = bundle;
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
        return new Predictor(dir, m, RefinerEstimator.of(RefinerCheckpoints.load(dir, m), dir),
            null);
      }
      ModelBundle bundle = ModelBundle.open(dir);
      RefinerEstimator refiner = bundle.refiner() == null ? null : RefinerEstimator.of(
          RefinerCheckpoints.load(bundle.refiner(), m), bundle.refiner());
      return new Predictor(dir, m, refiner, bundle);
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
      case LDM -> bundle != null;
      case CLASSIC -> true;
    };
  }

  /** High-res voxels per low-res voxel of the estimate. */
  public int factor(PredictOptions.Method method) throws IOException {
    return estimator(method).factor();
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
    Estimator e = estimator(o.method());
    table.requireVolumes(scan.nt());
    BadArgumentException.require(!e.fitsTheScan() || (table.b0Indices().length > 0
        && table.shells().size() >= 2), "method " + name(o.method()) + ": expected a scan with"
        + " a b0 and at least two diffusion-weighted shells (the NODDI fit needs them), found "
        + table.summary());
    VoxelOrder order = VoxelOrder.toCanonical(scan.grid());
    ScanInput in = ScanInput.of(order, scan, table, mask, e.factor());
    Estimate est = inflated(e.estimate(in, o, progress));
    SpreadCalibration.Interval spread = spread(est);
    Mask brain = useMask ? in.hiMask() : null;
    JsonObject prov = est.provenance();
    prov.addProperty("method", name(o.method()));
    prov.addProperty("voxelOrder", order.sourceCodes() + (order.isIdentity() ? " (canonical)"
        : " -> LAS for the model -> " + order.sourceCodes()));
    prov.addProperty("mask", useMask ? in.maskSource() : "none");
    Grid hiOut = VolumeOps.upsampledGrid(scan.grid(), e.factor());
    Volume features = rawSpread && est.errorFeatures() != null
        ? back(order, est.errorFeatures().all(), brain, hiOut) : null;
    return new Result(back(order, est.maps(), brain, hiOut), back(order, spread.sd(), brain,
        hiOut), back(order, spread.lower(), brain, hiOut), back(order, spread.upper(), brain,
        hiOut), brain == null ? null : Mask.above(back(order, brain.toVolume(), null, hiOut), 0f),
        prov, features, rawSpread ? back(order, est.center(), brain, hiOut) : null);
  }

  /**
   * One sample with its deviation from the posterior mean scaled by the calibration's factor
   * ({@link SpreadCalibration#inflate}), when the model has one (and {@link #withRawSpread} was
   * not asked for); else {@code est} unchanged.
   */
  private Estimate inflated(Estimate est) throws IOException {
    SpreadCalibration cal = rawSpread || est.center() == null ? null : bundle.calibration();
    if (cal == null || cal.sampleScale() == null) {
      return est;
    }
    double[] l = cal.sampleScale();
    est.provenance().addProperty("maps", String.format(java.util.Locale.ROOT, "one sample of"
        + " the model, its deviation from the posterior mean scaled by %.3g / %.3g / %.3g (NDI"
        + " / ODI / FWF; the calibration's sample scales)", l[0], l[1], l[2]));
    return new Estimate(cal.inflate(est.maps(), est.center()), est.sd(), est.provenance(),
        est.errorFeatures(), est.center());
  }

  /**
   * The sd of a sampling estimate, calibrated with its interval when the model has a
   * calibration (and {@link #withRawSpread} was not asked for); all null without samples.
   */
  private SpreadCalibration.Interval spread(Estimate est) throws IOException {
    JsonObject prov = est.provenance();
    if (est.sd() == null) {
      return new SpreadCalibration.Interval(null, null, null);
    }
    SpreadCalibration cal = rawSpread ? null : bundle.calibration();
    if (cal == null) {
      prov.addProperty("calibration", "none: sd is the raw spread of the samples");
      return new SpreadCalibration.Interval(est.sd(), null, null);
    }
    prov.addProperty("calibration", cal.describe());
    if (cal.errorModel() != null && est.errorFeatures() != null) {
      prov.addProperty("sd", ERROR_MODEL_SD);
      return cal.apply(est.maps(), cal.errorModel().sd(est.errorFeatures()));
    }
    return cal.apply(est.maps(), est.sd());
  }

  /** What the sd is when the calibration has an error model, for the sidecar. */
  public static final String ERROR_MODEL_SD = "k exp(w . f): f the samples' sd and the"
      + " refiner's correction |classic fit upsampled - refiner| (both pooled over 3x3x3"
      + " neighbours in the brain), the refined map's gradient (pooled and at the voxel), in"
      + " logs, and the partial volume FWF (1 - FWF); w fitted to the log abs error and k (per"
      + " map and tissue class) making the sd's RMS the RMS error on the calibration subjects";

  /** A canonical-order volume, set to 0 outside {@code brain} (if any), in the scan's order. */
  private static Volume back(VoxelOrder order, Volume v, Mask brain, Grid hiOut) {
    return v == null ? null : order.fromCanonical(brain == null ? v : brain.applyTo(v), hiOut);
  }

  private static String name(PredictOptions.Method m) {
    return m.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Work units {@link #predict} reports (the diffusion model's sampling steps, else 1). */
  public long totalWork(Grid scanGrid, PredictOptions o) throws IOException {
    return estimator(o.method()).work(VoxelOrder.toCanonical(scanGrid).canonicalGrid(), o);
  }

  /** The estimator of {@code method}; a model without that part fails clearly. */
  private synchronized Estimator estimator(PredictOptions.Method method) throws IOException {
    BadArgumentException.require(supports(method), "method: this model has no "
        + name(method) + " part; expected one of its parts (" + parts() + ")");
    return switch (method) {
      case REFINE -> refiner;
      case LDM -> diffusion();
      case CLASSIC -> new ClassicEstimator(refiner != null ? refiner.factor()
          : diffusion().factor());
    };
  }

  private synchronized Estimator diffusion() throws IOException {
    if (diffusion == null) {
      diffusion = bundle.loadDiffusion(manager, refiner);
    }
    return diffusion;
  }

  private String parts() {
    return (refiner != null ? "refine, " : "") + (bundle != null ? "ldm, " : "") + "classic";
  }

  @Override
  public void close() {
    manager.close();
  }
}
