package org.noddildm.app.bench;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.dataset.DatasetSimulator;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code noddi dev bench quality}: every method a user could pick, on held-out subjects of every
 * kind, scored against the ground truth in one run. Methods: (a) NODDI fit of the low-res scan
 * + trilinear upsampling; (a2) NODDI fit of the trilinearly upsampled scan (the MRtrix habit of
 * upsampling before modelling); (r) the refiner; the diffusion model with one DDIM-10 sample
 * and its point estimate (the posterior mean, with the sd of several samples). Sets
 * ({@link BenchSet}): procedural phantoms at 64^3 and at 112 x 136 x 112, Colin27 anatomy with unseen deformations, and the INIA19 macaque brain
 * (never trained on), each scanned with the clinical protocol (whose direction set training
 * does not use) at each SNR. Everything runs in this JVM through {@link Predictor}, as
 * {@code noddi predict} does.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
    description = {"Quality of every method on held-out subjects: (a) low-res fit + trilinear,"
        + " (a2) fit of the trilinearly upsampled scan, (r) the refiner, and the diffusion"
        + " model (one sample, the posterior mean with N samples' sd); PSNR in the brain,"
        + " SSIM (volume and brain) per map and per tissue, and the original system's flattened"
        + " scoring.",
        "Writes WORK/quality.json, WORK/quality.md and, for the first subject of each set, a"
            + " picture per map (truth, refiner, one sample, point estimate, sd, error)."})
public final class QualityBench implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (default: the pretrained model in this build).")
  Path model;

  @Option(names = "--sets", split = ",", paramLabel = "SET,...",
      defaultValue = "procedural-64,procedural-large,colin27,inia19",
      description = "Held-out sets (default: ${DEFAULT-VALUE}).")
  List<String> sets;

  @Option(names = "--subjects", defaultValue = "3",
      description = "Subjects per set and SNR (default: ${DEFAULT-VALUE}).")
  int subjects;

  @Option(names = "--snr", split = ",", defaultValue = "20,30", paramLabel = "SNR,...",
      description = "b0 SNRs of the scans (default: ${DEFAULT-VALUE}).")
  List<Double> snrs;

  @Option(names = "--acquisition", split = ",", defaultValue = "block,kspace",
      paramLabel = "A,...", description = "How the low-resolution scans are made: block"
          + " (block averaging) and/or kspace (k-space truncation, a scanner's smaller matrix,"
          + " with Gibbs ringing) (default: ${DEFAULT-VALUE}).")
  List<String> acquisitions;

  @Option(names = "--ldm-samples", split = ",", defaultValue = "1,4", paramLabel = "N,...",
      description = "Diffusion model runs (DDIM 10), by number of samples averaged; empty"
          + " or --no-ldm to skip (default: ${DEFAULT-VALUE}).")
  List<Integer> ldmSamples;

  @Option(names = "--eta", defaultValue = "0", paramLabel = "ETA",
      description = "DDIM eta of the diffusion model's runs: 0 deterministic, 1 DDPM-like"
          + " (default: ${DEFAULT-VALUE}).")
  double eta;

  @Option(names = "--no-ldm", description = "Skip the diffusion model.")
  boolean noLdm;

  @Option(names = "--ldm-max-voxels", defaultValue = "300000", paramLabel = "N",
      description = "Skip the diffusion model on subjects with more high-res voxels (its"
          + " sampling is minutes per large brain on a CPU; default: ${DEFAULT-VALUE}).")
  long ldmMaxVoxels;

  @Option(names = "--work", paramLabel = "DIR", defaultValue = "bench-quality",
      description = "Folder for quality.json and quality.md (default: ${DEFAULT-VALUE}).")
  Path work;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    BadArgumentException.require(subjects >= 1, "--subjects: expected >= 1, found " + subjects);
    List<BenchSet> chosen = new ArrayList<>();
    for (String s : sets) {
      chosen.add(BenchSet.parse(s));
    }
    PrintWriter o = spec.commandLine().getOut();
    Path dir = model != null ? model : ShippedModel.extract();
    Map<String, Map<String, List<SubjectScores>>> results = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> seconds = new LinkedHashMap<>();
    try (Predictor predictor = Predictor.open(dir, Device.cpu())) {
      for (BenchSet set : chosen) {
        for (boolean kspace : kspaceFlags()) {
          for (double snr : snrs) {
            String key = set.name() + (kspace ? " (k-space)" : "") + ", SNR " + fmt(snr);
            runSet(predictor, set.spec(subjects, snr, kspace), key,
                results.computeIfAbsent(key, k -> new LinkedHashMap<>()),
                seconds.computeIfAbsent(key, k -> new LinkedHashMap<>()), o);
          }
        }
      }
    }
    String md = BenchTables.markdown(results, seconds);
    o.println();
    o.print(md);
    Files.createDirectories(work);
    AtomicFiles.writeString(work.resolve("quality.md"), md);
    AtomicFiles.writeString(work.resolve("quality.json"), json(results, seconds));
    o.println("per-subject scores: " + work.resolve("quality.json"));
    o.flush();
    return 0;
  }

  /** Every subject of one set, acquisition and SNR. */
  private void runSet(Predictor predictor, DatasetSpec ds, String key,
      Map<String, List<SubjectScores>> r, Map<String, List<Double>> t, PrintWriter o)
      throws IOException {
    GradientTable table = DatasetSimulator.scanTable(ds);
    for (int i = 1; i <= subjects; i++) {
      DatasetSimulator.Subject s = DatasetSimulator.simulate(ds, i, table);
      o.printf(Locale.ROOT, "%s, subject %d/%d (%s):", key, i, subjects,
          s.phantom().grid().shape());
      o.flush();
      runSubject(predictor, s, r, t, o, i == 1 ? key.replaceAll("[^A-Za-z0-9]+", "_")
          .replaceAll("^_|_$", "") : null);
      o.println();
      o.flush();
    }
  }

  /** The acquisitions asked for, block first. */
  private List<Boolean> kspaceFlags() {
    List<Boolean> flags = new ArrayList<>();
    for (String a : acquisitions) {
      String t = a.trim().toLowerCase(Locale.ROOT);
      BadArgumentException.require(t.equals("block") || t.equals("kspace"),
          "--acquisition: expected block or kspace, found '" + a + "'");
      if (!flags.contains(t.equals("kspace"))) {
        flags.add(t.equals("kspace"));
      }
    }
    flags.sort(Boolean::compare);
    return flags;
  }

  /**
   * Scores every method on subject {@code s}; with a {@code pictures} name, also writes the
   * subject's pictures ({@link QualityPictures}) into the work folder.
   */
  private void runSubject(Predictor p, DatasetSimulator.Subject s,
      Map<String, List<SubjectScores>> r, Map<String, List<Double>> t, PrintWriter o,
      String pictures) throws IOException {
    Volume mask = s.lowMask().toVolume();
    PredictOptions base = PredictOptions.defaults();
    long t0 = System.nanoTime();
    Predictor.Result classic = p.predict(s.lowDwi(), s.table(), mask, true,
        base.withMethod(PredictOptions.Method.CLASSIC), null);
    // the brain every method is given: the scan's mask on the fine grid
    Mask given = classic.mask();
    add(r, t, "(a) low-res fit + trilinear", SubjectScores.of(classic.maps(), s.phantom(),
        given), since(t0), o);
    t0 = System.nanoTime();
    add(r, t, "(a2) fit of the upsampled scan", SubjectScores.of(upsampledFit(s),
        s.phantom(), given), since(t0), o);
    Volume ref = null;
    if (p.supports(PredictOptions.Method.REFINE)) {
      t0 = System.nanoTime();
      ref = p.predict(s.lowDwi(), s.table(), mask, true, base, null).maps();
      add(r, t, "(r) refiner", SubjectScores.of(ref, s.phantom(), given), since(t0), o);
    }
    if (!noLdm && p.supports(PredictOptions.Method.LDM)
        && s.phantom().grid().size() <= ldmMaxVoxels) {
      // the point estimate (the posterior mean, with the most samples) first, so that one
      // sample's texture can be measured around it
      List<Integer> ns = new ArrayList<>(ldmSamples);
      ns.sort(java.util.Comparator.reverseOrder());
      Volume point = null;
      Volume pointSd = null;
      Volume sample = null;
      Map<Integer, SubjectScores> byN = new java.util.TreeMap<>();
      Map<Integer, Double> secs = new java.util.HashMap<>();
      for (int n : ns) {
        t0 = System.nanoTime();
        Predictor.Result m = p.predict(s.lowDwi(), s.table(), mask, true, base.withMethod(
            PredictOptions.Method.LDM).withSampling(10, eta, n, n == 1 ? 2 : 1), null);
        secs.put(n, since(t0));
        SubjectScores sc = SubjectScores.of(m.maps(), m.sd(), m.lower(), m.upper(),
            s.phantom(), given);
        if (n == 1 && point != null) {
          sc = sc.withTexture(m.maps(), point, s.phantom(), given);
        }
        if (point == null) {
          point = m.maps();
          pointSd = m.sd();
        }
        sample = n == 1 ? m.maps() : sample;
        byN.put(n, sc);
      }
      if (pictures != null && ref != null) {
        Files.createDirectories(work);
        QualityPictures.write(work, pictures, s.phantom().maps(), ref, sample, point, pointSd);
      }
      for (var e : byN.entrySet()) {
        int n = e.getKey();
        String ddim = "diffusion, DDIM 10" + (eta == 0 ? "" : " (eta " + fmt(eta) + ")");
        add(r, t, n == 1 ? ddim + ", 1 sample" : ddim + ", posterior mean of " + n,
            e.getValue(), secs.get(n), o);
      }
    }
  }

  /** (a2): the scan upsampled trilinearly, then fitted at high resolution in the brain. */
  private static Volume upsampledFit(DatasetSimulator.Subject s) {
    Grid hi = s.phantom().grid().withAffine(VolumeOps.upsampledGrid(s.lowDwi().grid(),
        s.phantom().grid().nx() / s.lowDwi().nx()).affine());
    return ClassicEstimate.fitOfUpsampledScan(s.lowDwi(), s.table(), s.lowMask(), hi);
  }

  /** Seconds since {@code t0} (System.nanoTime). */
  private static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void add(Map<String, List<SubjectScores>> r, Map<String, List<Double>> t,
      String method, SubjectScores s, double seconds, PrintWriter o) {
    r.computeIfAbsent(method, k -> new ArrayList<>()).add(s);
    t.computeIfAbsent(method, k -> new ArrayList<>()).add(seconds);
    o.printf(Locale.ROOT, " %s %.2f dB;", method.substring(0, method.indexOf(')') < 0
        ? Math.min(12, method.length()) : method.indexOf(')') + 1), s.meanPsnr());
    o.flush();
  }

  private String json(Map<String, Map<String, List<SubjectScores>>> results,
      Map<String, Map<String, List<Double>>> seconds) {
    JsonObject j = new JsonObject();
    j.addProperty("subjects", subjects);
    j.addProperty("model", model == null ? "shipped" : model.toAbsolutePath().toString());
    j.addProperty("dataRange", 1.0);
    j.addProperty("note", "NDI and ODI scored where the true FWF < 0.9, FWF in the brain");
    JsonObject sets = new JsonObject();
    for (var e : results.entrySet()) {
      JsonObject methods = new JsonObject();
      for (var m : e.getValue().entrySet()) {
        JsonObject x = new JsonObject();
        x.add("subjects", StrictJson.EXACT.toTree(m.getValue()));
        JsonArray s = new JsonArray();
        seconds.get(e.getKey()).get(m.getKey()).forEach(s::add);
        x.add("seconds", s);
        methods.add(m.getKey(), x);
      }
      sets.add(e.getKey(), methods);
    }
    j.add("sets", sets);
    return StrictJson.REPORT.toJson(j);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
