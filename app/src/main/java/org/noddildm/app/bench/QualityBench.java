package org.noddildm.app.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.app.cli.EvaluateCommand;
import org.noddildm.app.cli.Subcommands;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.NoddiException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.MapScores;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi bench quality}: the quality benchmark of the deep model against the classic
 * pipeline on held-out phantom subjects. For each subject of a fresh dataset (a seed that no
 * training run uses) it scores, against the ground-truth maps, with data range 1:
 * <ol>
 *   <li>(a) the NODDI fit of the low-resolution scan, upsampled trilinearly (what a user gets
 *       today from a short scan);
 *   <li>(b) the NODDI fit of the same subject's noiseless high-resolution scan (what the fitter
 *       gets from a perfect acquisition; the fitter's own error);
 *   <li>(c, d) the model ({@code noddi predict}) with each number of DDIM steps.
 * </ol>
 * Each method is scored per map (NDI, ODI, FWF) inside the brain mask (PSNR over mask voxels,
 * mean of the SSIM map over the mask) and over the whole volume (scikit-image's SSIM). Every
 * step is an ordinary subcommand run in this JVM, so the figures are what a user would get.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
    description = {"Quality of the deep model against the classic pipeline on held-out phantom"
        + " subjects: PSNR and SSIM per map, in the brain mask and over the whole volume, and"
        + " the model's sampling time per subject.",
        "Methods: (a) NODDI fit of the low-res scan + trilinear upsampling, (b) NODDI fit of the"
            + " noiseless high-res scan, (c/d) noddi predict with each --steps."})
public final class QualityBench implements Callable<Integer> {
  private static final String[] MAPS = {"ndi", "odi", "fwf"};

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (default: the pretrained model in this build).")
  Path model;

  @Option(names = "--subjects", defaultValue = "10",
      description = "Held-out subjects (default: ${DEFAULT-VALUE}).")
  int subjects;

  @Option(names = "--seed", defaultValue = "9100",
      description = "Dataset seed; 9000 and above are never used for training (default:"
          + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--snr", defaultValue = "30",
      description = "b0 SNR of the low-resolution scans (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--size", defaultValue = "64",
      description = "High-resolution grid size per axis (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--steps", defaultValue = "10,25,50,100", split = ",", paramLabel = "N,...",
      description = "DDIM step counts of the model (default: ${DEFAULT-VALUE}).")
  List<Integer> steps;

  @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
      description = "Samples per prediction; the model's maps are their mean (default:"
          + " ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--no-model", description = "Only the classic methods (a) and (b).")
  boolean noModel;

  @Option(names = "--sample-seed", defaultValue = "1",
      description = "Seed of the model's sampling noise (default: ${DEFAULT-VALUE}).")
  long sampleSeed;

  @Option(names = "--work", paramLabel = "DIR", defaultValue = "bench-quality",
      description = "Folder for the data, the predictions and quality.json (default:"
          + " ${DEFAULT-VALUE}).")
  Path work;

  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Scores of one method on one subject: per map, in the mask and whole volume. */
  record Scores(List<MapScores> inMask, List<MapScores> whole) {}

  @Override
  public Integer call() throws IOException {
    BadArgumentException.require(subjects >= 1, "--subjects: expected >= 1, found " + subjects);
    BadArgumentException.require(samples >= 1, "--samples: expected >= 1, found " + samples);
    PrintWriter o = spec.commandLine().getOut();
    Path data = work.resolve("data");
    Path clean = work.resolve("clean");
    o.printf(Locale.ROOT, "bench quality: %d held-out subjects (seed %d), %d^3, factor 2,"
        + " clinical protocol, SNR %s%n", subjects, seed, size, fmt(snr));
    o.flush();
    run("simulate", "--out", data.toString(), "--subjects", Integer.toString(subjects),
        "--seed", Long.toString(seed), "--size", Integer.toString(size), "--snr",
        Double.toString(snr), "--force");
    // the same phantoms, scanned at full resolution without noise, for method (b)
    run("simulate", "--out", clean.toString(), "--subjects", Integer.toString(subjects),
        "--seed", Long.toString(seed), "--size", Integer.toString(size), "--factor", "1",
        "--noise", "none", "--force");
    Map<String, List<Scores>> results = new LinkedHashMap<>();
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int i = 1; i <= subjects; i++) {
      String name = String.format(Locale.ROOT, "sub-%04d", i);
      Path sub = data.resolve(name);
      Volume ref = NiftiReader.read(sub.resolve("noddi.nii.gz")).volume();
      Mask mask = EvaluateCommand.readMask(sub.resolve("mask.nii.gz"), ref);
      requireSamePhantom(ref, clean.resolve(name).resolve("noddi.nii.gz"));
      o.printf("%n== %s ==%n", name);
      o.flush();

      Path a = work.resolve("a-lowres-fit").resolve(name);
      run(Subcommands.fitScan(sub, a, "--no-progress"));
      Path up = Path.of(a + "_upsampled.nii.gz");
      run(Subcommands.upsampleFit(a, sub.resolve("noddi.nii.gz"), up));
      add(results, "(a) low-res fit + trilinear", score(read(up), ref, mask));

      Path cs = clean.resolve(name);
      Path b = work.resolve("b-highres-fit").resolve(name);
      run(Subcommands.fitScan(cs, b, "--no-progress"));
      add(results, "(b) noiseless high-res fit", score(stack(b), ref, mask));

      if (!noModel) {
        for (int n : steps) {
          Path pred = work.resolve("model-ddim" + n).resolve(name);
          long t0 = System.nanoTime();
          run(Subcommands.predictScan(sub, pred, n, samples, sampleSeed, model));
          String method = "(" + (n == 100 ? "c" : "d") + ") model, DDIM " + n
              + (samples > 1 ? ", mean of " + samples + " samples" : "");
          seconds.computeIfAbsent(method, k -> new ArrayList<>())
              .add((System.nanoTime() - t0) / 1e9);
          add(results, method, score(read(Path.of(pred + "_noddi.nii.gz")), ref, mask));
        }
      }
    }
    o.printf("%n");
    print(o, results, seconds);
    write(results, seconds);
    o.flush();
    return 0;
  }

  private static void requireSamePhantom(Volume ref, Path other) throws IOException {
    Volume v = NiftiReader.read(other).volume();
    BadArgumentException.require(java.util.Arrays.equals(ref.data(), v.data()), "bench quality:"
        + " expected the noiseless high-res dataset to hold the same phantoms, found different"
        + " maps in " + other);
  }

  private static Volume read(Path p) throws IOException {
    return NiftiReader.read(p).volume();
  }

  private static Volume stack(Path prefix) throws IOException {
    Volume[] maps = new Volume[MAPS.length];
    for (int t = 0; t < MAPS.length; t++) {
      maps[t] = read(Path.of(prefix + "_" + MAPS[t] + ".nii.gz"));
    }
    return Volume.stack(maps);
  }

  private static Scores score(Volume pred, Volume ref, Mask mask) {
    var options = org.noddildm.core.metrics.SsimOptions.defaults();
    return new Scores(MapEvaluation.evaluate(pred, ref, mask, 1.0, options),
        MapEvaluation.evaluate(pred, ref, null, 1.0, options));
  }

  private static void add(Map<String, List<Scores>> r, String method, Scores s) {
    r.computeIfAbsent(method, k -> new ArrayList<>()).add(s);
  }

  /** Mean and standard deviation over subjects of one figure. */
  private static double[] stats(List<Scores> list, boolean inMask, int map, boolean ssim) {
    double sum = 0;
    double sq = 0;
    for (Scores s : list) {
      List<MapScores> m = inMask ? s.inMask() : s.whole();
      double v = map < 3 ? pick(m.get(map), inMask, ssim)
          : (pick(m.get(0), inMask, ssim) + pick(m.get(1), inMask, ssim)
              + pick(m.get(2), inMask, ssim)) / 3;
      sum += v;
      sq += v * v;
    }
    int n = list.size();
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(Math.max(0, sq / n - mean * mean))};
  }

  private static double pick(MapScores s, boolean inMask, boolean ssim) {
    return ssim ? (inMask ? s.ssimMasked() : s.ssim()) : s.psnr();
  }

  private void print(PrintWriter o, Map<String, List<Scores>> results,
      Map<String, List<Double>> seconds) {
    int n = results.values().iterator().next().size();
    for (boolean inMask : new boolean[] {true, false}) {
      o.printf(Locale.ROOT, "%s, PSNR (dB) / SSIM%s, mean over %d subjects (sd over subjects"
          + " of the three-map mean in brackets)%n%n", inMask ? "Inside the brain mask"
          : "Whole volume", inMask ? " (mean of the SSIM map over the mask)" : "", n);
      o.println("| method | NDI | ODI | FWF | mean of the three |");
      o.println("|---|---|---|---|---|");
      for (var e : results.entrySet()) {
        StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
        for (int map = 0; map < 4; map++) {
          double[] p = stats(e.getValue(), inMask, map, false);
          double[] s = stats(e.getValue(), inMask, map, true);
          row.append(String.format(Locale.ROOT, " %.2f / %.3f", p[0], s[0]));
          if (map == 3) {
            row.append(String.format(Locale.ROOT, " (%.2f / %.3f)", p[1], s[1]));
          }
          row.append(" |");
        }
        o.println(row);
      }
      o.println();
    }
    if (!seconds.isEmpty()) {
      o.println("Model time per subject (noddi predict in this JVM: model loading, features,"
          + " sampling, decoding, writing):");
      o.println();
      o.println("| method | mean s | min s | max s |");
      o.println("|---|---|---|---|");
      for (var e : seconds.entrySet()) {
        List<Double> t = e.getValue();
        o.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", e.getKey(),
            t.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN),
            t.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
            t.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
      }
      o.println();
    }
    o.println("per-subject scores: " + work.resolve("quality.json"));
  }

  private void write(Map<String, List<Scores>> results, Map<String, List<Double>> seconds)
      throws IOException {
    JsonObject j = new JsonObject();
    j.addProperty("subjects", subjects);
    j.addProperty("seed", seed);
    j.addProperty("snr", snr);
    j.addProperty("size", size);
    j.addProperty("samples", samples);
    j.addProperty("model", model == null ? "shipped" : model.toAbsolutePath().toString());
    JsonObject methods = new JsonObject();
    for (var e : results.entrySet()) {
      JsonArray subs = new JsonArray();
      for (Scores s : e.getValue()) {
        JsonObject x = new JsonObject();
        x.add("inMask", scores(s.inMask()));
        x.add("whole", scores(s.whole()));
        subs.add(x);
      }
      JsonObject m = new JsonObject();
      m.add("subjects", subs);
      if (seconds.containsKey(e.getKey())) {
        JsonArray t = new JsonArray();
        seconds.get(e.getKey()).forEach(t::add);
        m.add("seconds", t);
      }
      methods.add(e.getKey(), m);
    }
    j.add("methods", methods);
    AtomicFiles.writeString(work.resolve("quality.json"),
        new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
            .toJson(j));
  }

  private static JsonObject scores(List<MapScores> maps) {
    JsonObject o = new JsonObject();
    for (MapScores s : maps) {
      JsonObject x = new JsonObject();
      x.addProperty("psnr", s.psnr());
      x.addProperty("ssim", s.ssim());
      if (!Double.isNaN(s.ssimMasked())) {
        x.addProperty("ssimMasked", s.ssimMasked());
      }
      o.add(s.name(), x);
    }
    return o;
  }

  private void run(String... args) {
    int code = Subcommands.run(spec, args);
    if (code != 0) {
      throw new StepFailed(args[0], code);
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** A step failed; its own error line was already printed. */
  static final class StepFailed extends NoddiException {
    StepFailed(String step, int code) {
      super("bench quality: step '" + step + "' failed with exit code " + code);
    }
  }
}
