package org.noddildm.app.bids;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.app.report.QcInputs;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.FitResiduals;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;

/**
 * Makes the derivatives of one run into a folder: reads the scan and its gradients (checking
 * them, so that a broken run fails with one clear line), runs each estimate through
 * {@link Predictor}, fits the scan on its own grid when the classic fit is asked for (which
 * gives the fibre direction no upsampled estimate has), and writes every map with its sidecar.
 * Returns what it wrote, for the subject's completion record and the group table.
 */
public final class RunProcessor {
  /** Rough peak memory per output voxel of a deep estimate (README: 2.5 GB at 144x172x144). */
  private static final double BYTES_PER_OUTPUT_VOXEL = 700;

  private final Path bidsRoot;
  private final BidsOptions options;
  private final Predictor predictor;
  private final ModelIdentity model;
  private final Double memGb;
  private final Path maskFile;

  public RunProcessor(Path bidsRoot, BidsOptions options, Predictor predictor, ModelIdentity model,
      Double memGb) {
    this(bidsRoot, options, predictor, model, memGb, null);
  }

  /** A processor whose runs all take the brain mask {@code maskFile} ({@code --mask FILE}). */
  public RunProcessor(Path bidsRoot, BidsOptions options, Predictor predictor, ModelIdentity model,
      Double memGb, Path maskFile) {
    this.maskFile = maskFile;
    this.bidsRoot = bidsRoot;
    this.options = options;
    this.predictor = predictor;
    this.model = model;
    this.memGb = memGb;
  }

  /** Writes the run's derivatives under {@code subjectRoot}'s parent layout; returns its record. */
  JsonObject process(DwiRun run, Path outRoot, PrintWriter log) throws IOException {
    RunInputs in = RunInputs.read(bidsRoot, run, options.maskChoice(), maskFile, log);
    GradientTable table = in.table();
    NiftiImage scan = in.scan();
    PredictOptions.Method deepDefault = predictor.defaultMethod();
    List<PredictOptions.Method> methods = options.methods(deepDefault);
    checkMemory(run, scan.volume(), methods, log);
    boolean deep = methods.stream().anyMatch(m -> m != PredictOptions.Method.CLASSIC);
    JsonObject common = Sidecars.common(in.sources(), options.toJson(), deep ? model : null,
        in.metadata());
    Path dir = outRoot.resolve(run.folder());
    Files.createDirectories(dir);
    NiftiWriter.Options nifti = NiftiWriter.Options.defaults().withReference(scan.header());
    JsonObject maps = new JsonObject();
    List<String> files = new ArrayList<>();
    Mask hiMask = null;
    Map<String, Volume> estimates = new LinkedHashMap<>();
    Volume sd = null;
    String sdOf = null;
    Volume givenMask = in.mask() == null ? null : in.mask().toVolume();
    for (PredictOptions.Method m : methods) {
      String desc = BidsOptions.desc(m);
      // the default estimate carries QSIRecon's names exactly; the others a desc entity
      String entity = m == deepDefault ? null : desc;
      log.printf(Locale.ROOT, "%s: %s estimate%n", run, desc);
      log.flush();
      Predictor.Result r = predictor.predict(scan.volume(), table, givenMask, true,
          options.predict().withMethod(m), null);
      JsonElement prov = ProvenanceScrubber.scrub(r.provenance());
      JsonObject written = new JsonObject();
      for (int t = 0; t < 3; t++) {
        String p = DerivativeNames.PARAMS.get(t);
        String name = DerivativeNames.map(run, null, p, entity);
        write(dir, name, r.maps().volume(t), nifti.withDescription("noddi " + desc + " " + p),
            Sidecars.map(common, Sidecars.PARAM_TEXT.get(t), desc, "fraction (0..1)", prov),
            files, run);
        written.addProperty(p, DerivativeNames.relative(run, name));
        if (r.sd() != null) {
          String sdName = DerivativeNames.map(run, null, p, DerivativeNames.SD);
          write(dir, sdName, r.sd().volume(t), nifti.withDescription("noddi sd " + p),
              Sidecars.map(common, "Per-voxel standard deviation over " + options.predict()
                  .samples() + " diffusion samples of: " + Sidecars.PARAM_TEXT.get(t), desc,
                  "fraction (0..1)", prov), files, run);
          written.addProperty(p + "_sd", DerivativeNames.relative(run, sdName));
        }
      }
      if (entity == null) {
        writeModulated(run, dir, r.maps(), nifti, common, desc, prov, files, written);
      }
      maps.add(desc, written);
      estimates.put(desc, r.maps());
      if (sd == null && r.sd() != null) {
        sd = r.sd();
        sdOf = desc;
      }
      if (hiMask == null && r.mask() != null) {
        hiMask = r.mask();
        String name = DerivativeNames.mask(run, null);
        write(dir, name, hiMask.toVolume(), nifti.withType(NiftiDataType.UINT8)
            .withDescription("noddi brain mask"), Sidecars.mask(common, in.maskText() + " on"
                + " the scan's grid, trilinearly upsampled to the output grid and thresholded"
                + " at 0.5"), files, run);
      }
    }
    Mask nativeMask = in.mask() != null ? in.mask() : nativeMask(scan.volume(), table);
    if (methods.contains(PredictOptions.Method.CLASSIC)) {
      maps.add(DerivativeNames.NATIVE, nativeFit(run, dir, scan, table, nativeMask, common,
          files, in.maskText()));
    }
    RunQc qc = RunQc.of(scan.volume(), table, nativeMask, hiMask);
    String report = RunReport.write(outRoot, run, estimates, sd, sdOf, hiMask, qc,
        new QcInputs.Scan(run.dwi().getFileName().toString(), scan.volume(), table,
            nativeMask), options, model, deep, in.metadata());
    files.add(report);
    JsonObject record = new JsonObject();
    record.addProperty("prefix", run.prefix());
    record.addProperty("folder", run.folder());
    record.add("entities", StrictJson.EXACT.toTree(run.entities()));
    record.add("maps", maps);
    record.addProperty("mask", DerivativeNames.relative(run, DerivativeNames.mask(run, null)));
    record.add("qc", qc.toJson());
    record.addProperty("report", report);
    record.add("files", StrictJson.EXACT.toTree(files));
    return record;
  }

  /** The dictionary fit on the scan's grid: NDI, ODI, FWF and the fibre direction. */
  private JsonObject nativeFit(DwiRun run, Path dir, NiftiImage scan, GradientTable table,
      Mask brain, JsonObject common, List<String> files, String maskText) throws IOException {
    NoddiModel fit = new NoddiModel(table, NoddiFitConfig.defaults());
    fit.prepare();
    VoxelMapper.Result r = VoxelMapper.map(scan.volume(), brain, table.b0Indices(), fit,
        VoxelMapper.Fill.ZERO, null);
    NiftiWriter.Options nifti = NiftiWriter.Options.defaults().withReference(scan.header());
    String desc = "classic";
    String res = DerivativeNames.NATIVE;
    JsonObject written = new JsonObject();
    JsonObject prov = new JsonObject();
    prov.addProperty("fit", r.counts().summary());
    double[] vox = scan.volume().grid().voxelSizes();
    JsonObject resolution = new JsonObject(); // BIDS requires it with res-
    resolution.addProperty(res, String.format(Locale.ROOT, "the scan's own grid (%s voxels of"
        + " %.3g x %.3g x %.3g mm), not the finer output grid of the files without res-",
        scan.volume().grid().shape(), vox[0], vox[1], vox[2]));
    common = common.deepCopy();
    common.add("Resolution", resolution);
    for (int t = 0; t < 3; t++) {
      String p = DerivativeNames.PARAMS.get(t);
      String name = DerivativeNames.map(run, res, p, desc);
      write(dir, name, r.maps().get(t), nifti.withDescription("noddi native fit " + p),
          Sidecars.map(common, Sidecars.PARAM_TEXT.get(t) + ", on the scan's own grid",
              "native", "fraction (0..1)", prov), files, run);
      written.addProperty(p, DerivativeNames.relative(run, name));
    }
    String name = DerivativeNames.map(run, res, DerivativeNames.DIRECTION, desc);
    write(dir, name, r.maps().get(3), nifti.withDescription("noddi native fit direction"),
        Sidecars.map(common, "Mean fibre direction of the NODDI fit: a unit vector (x, y, z) in"
            + " three volumes, in the frame of the b-vectors (FSL convention, image axes)",
            "native", "unit vector", prov), files, run);
    written.addProperty(DerivativeNames.DIRECTION, DerivativeNames.relative(run, name));
    // the fit's quality, as QSIRecon writes it beside its NODDI maps
    FitResiduals.Maps q = FitResiduals.of(scan.volume(), table, brain, r.maps(),
        NoddiFitConfig.defaults());
    for (String p : List.of("rmse", "nrmse")) {
      String qName = DerivativeNames.map(run, res, p, desc);
      write(dir, qName, p.equals("rmse") ? q.rmse() : q.nrmse(), nifti.withDescription(
          "noddi native fit " + p), Sidecars.map(common, p.equals("rmse") ? "Root mean square"
              + " error of the NODDI fit: sqrt(mean over volumes of (S/S0 - fitted S/S0)^2),"
              + " S0 the voxel's mean b0" : "Normalised root mean square error of the NODDI"
              + " fit: RMSE / sqrt(mean over volumes of (S/S0)^2)", "native", "ratio", prov),
          files, run);
      written.addProperty(p, DerivativeNames.relative(run, qName));
    }
    String maskName = DerivativeNames.mask(run, res);
    write(dir, maskName, brain.toVolume(), nifti.withType(NiftiDataType.UINT8)
        .withDescription("noddi brain mask"), Sidecars.mask(common, maskText + ", on the"
            + " scan's grid"), files, run);
    written.addProperty("mask", DerivativeNames.relative(run, maskName));
    return written;
  }

  /** The automatic brain mask on the scan's grid, by the rule {@link Predictor} uses. */
  private static Mask nativeMask(Volume scan, GradientTable table) {
    return BrainMask.automatic(scan, table);
  }

  private static void write(Path dir, String name, Volume v, NiftiWriter.Options o,
      JsonObject sidecar, List<String> files, DwiRun run) throws IOException {
    NiftiWriter.write(dir.resolve(name), v, o);
    String json = DerivativeNames.sidecar(name);
    StrictJson.REPORT.write(dir.resolve(json), sidecar);
    files.add(DerivativeNames.relative(run, name));
    files.add(DerivativeNames.relative(run, json));
  }

  /**
   * QSIRecon's modulated maps of an estimate: ICVF and OD times the tissue fraction
   * (1 - ISOVF), so that a voxel partly of CSF weighs less (Parker et al. 2021).
   */
  private static void writeModulated(DwiRun run, Path dir, Volume maps,
      NiftiWriter.Options nifti, JsonObject common, String desc, JsonElement prov,
      List<String> files, JsonObject written) throws IOException {
    for (int t = 0; t < 2; t++) {
      Volume v = Volume.zeros(maps.grid(), 1);
      for (int i = 0; i < v.data().length; i++) {
        v.data()[i] = maps.at(i, t) * (1f - maps.at(i, 2));
      }
      String p = DerivativeNames.PARAMS.get(t);
      String name = DerivativeNames.map(run, null, p, DerivativeNames.MODULATED);
      write(dir, name, v, nifti.withDescription("noddi " + desc + " " + p + " modulated"),
          Sidecars.map(common, Sidecars.PARAM_TEXT.get(t) + ", times the tissue fraction"
              + " (1 - ISOVF) of the same estimate (modulated, as QSIRecon writes it)", desc,
              "fraction (0..1)", prov), files, run);
      written.addProperty(p + "_modulated", DerivativeNames.relative(run, name));
    }
  }

  /** Refuses a run whose rough peak memory exceeds {@code --mem-gb}; warns above the heap. */
  private void checkMemory(DwiRun run, Volume scan, List<PredictOptions.Method> methods,
      PrintWriter log) throws IOException {
    int f = 1;
    for (PredictOptions.Method m : methods) {
      f = Math.max(f, predictor.factor(m));
    }
    double bytes = 16.0 * scan.data().length + BYTES_PER_OUTPUT_VOXEL * scan.grid().size()
        * (double) f * f * f;
    double gb = bytes / (1L << 30);
    if (memGb != null && gb > memGb) {
      throw new BadArgumentException(String.format(Locale.ROOT, "%s: --mem-gb %.1f: expected"
          + " enough for this scan (%s, %d volumes, about %.1f GB), found less", run, memGb,
          scan.grid().shape(), scan.nt(), gb));
    }
    double heap = Runtime.getRuntime().maxMemory() / (double) (1L << 30);
    if (gb > heap) {
      log.printf(Locale.ROOT, "%s: warning: this scan may need about %.1f GB, the Java heap is"
          + " %.1f GB (set JAVA_OPTS=-Xmx%dg)%n", run, gb, heap, (long) Math.ceil(gb));
    }
  }
}
