package org.noddildm.app.evaluate;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.MapScores;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.metrics.TissueSummary;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Scores predicted maps against reference maps (PSNR, SSIM as scikit-image computes them, MAE; per
 * map, per tissue and their mean), prints the table and writes the JSON, CSV and SSIM maps: what
 * {@code noddi evaluate}, the demo and the reports share.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * One evaluation, as {@code noddi evaluate}'s options give it; null for an option not given
   * ({@code range} null: each reference map's max - min; {@code win} null: 7).
   */
  public record Request(Path pred, Path ref, Path mask, Path labels, Double range, boolean gaussian,
      Integer win, boolean slicewise, Path ssimMap, Path json, Path csv) {
    /** PSNR and SSIM of {@code pred} against {@code ref} in {@code mask}, range 1, JSON too. */
    public static Request inMask(Path pred, Path ref, Path mask, Path json) {
      return new Request(pred, ref, mask, null, 1.0, false, null, false, null, json, null);
    }
  }

  /** Scores {@code q}, prints the table to {@code out} and writes the files it asks for. */
  public static void run(Request q, PrintWriter out) throws Exception {
    Path pred = q.pred();
    Path ref = q.ref();
    Path mask = q.mask();
    Path labels = q.labels();
    Path ssimMap = q.ssimMap();
    Path json = q.json();
    Path csv = q.csv();
    Double range = q.range();
    OutputGuard.requireNoneIsInput(java.util.Arrays.asList(json, csv, ssimMap),
        java.util.Arrays.asList(pred, ref, mask, labels));
    Volume p = NiftiReader.read(pred).volume();
    Volume r = NiftiReader.read(ref).volume();
    for (Path f : new Path[] {pred, ref}) {
      long bad = (f == pred ? p : r).nonFiniteCount();
      if (bad > 0) {
        throw new BadFileException(f, "expected finite map values to score, found " + bad
            + " NaN/Inf");
      }
    }
    Mask m = mask == null ? null : BrainMasks.read(mask, "the reference grid", r.grid());
    SsimOptions o = q.gaussian() ? SsimOptions.gaussian(1.5) : SsimOptions.defaults();
    if (q.win() != null) {
      o = o.withWinSize(q.win());
    }
    List<MapScores> maps = MapEvaluation.evaluate(p, r, m,
        range == null ? Double.NaN : range, o);
    MapScores mean = MapScores.mean("mean", maps);
    List<List<TissueSummary>> tissues = new ArrayList<>();
    if (labels != null) {
      Volume l = NiftiReader.read(labels).volume();
      BadArgumentException.require(l.grid().sameAs(r.grid()), "--labels: expected the"
          + " reference grid " + r.grid().shape() + ", found " + l.grid().shape()
          + " or a different affine");
      for (int t = 0; t < r.nt(); t++) {
        tissues.add(TissueSummary.of(p, r, t, l, maps.get(t).dataRange()));
      }
    }
    out.print(table(maps, mean, m, o));
    double[] ssim2d = null;
    if (q.slicewise()) {
      ssim2d = new double[maps.size()];
      double sum = 0;
      for (int t = 0; t < maps.size(); t++) {
        ssim2d[t] = Ssim.slicewise(p, r, t, maps.get(t).dataRange(), o);
        sum += ssim2d[t];
        out.printf(Locale.ROOT, "slice-wise 2D SSIM %-5s %.4f%n", maps.get(t).name(), ssim2d[t]);
      }
      out.printf(Locale.ROOT, "slice-wise 2D SSIM mean  %.4f%n", sum / maps.size());
    }
    if (!tissues.isEmpty()) {
      out.print(tissueTable(maps, tissues));
    }
    if (ssimMap != null) {
      float[] all = new float[r.data().length];
      int n = r.grid().size();
      for (int t = 0; t < r.nt(); t++) {
        double[] map = Ssim.compute(p, r, t, maps.get(t).dataRange(), o).map();
        for (int i = 0; i < n; i++) {
          all[t * n + i] = (float) map[i];
        }
      }
      NiftiWriter.write(ssimMap, new Volume(r.grid(), r.nt(), all),
          NiftiWriter.Options.defaults().withDescription("noddi evaluate SSIM map"));
      out.println("wrote " + ssimMap);
    }
    if (json != null) {
      AtomicFiles.writeString(json, toJson(q, maps, mean, tissues, m, o, ssim2d));
      out.println("wrote " + json);
    }
    if (csv != null) {
      AtomicFiles.writeString(csv, toCsv(maps, mean));
      out.println("wrote " + csv);
    }
    out.flush();
  }

  /** The terminal table. */
  public static String table(List<MapScores> maps, MapScores mean, Mask m, SsimOptions o) {
    StringBuilder sb = new StringBuilder();
    boolean masked = m != null;
    sb.append(String.format(Locale.ROOT, "%-6s %10s %8s%s %10s %10s%n", "map", "PSNR (dB)",
        "SSIM", masked ? String.format(Locale.ROOT, " %10s", "SSIM mask") : "", "MAE", "range"));
    List<MapScores> rows = new ArrayList<>(maps);
    if (maps.size() > 1) {
      rows.add(mean);
    }
    for (MapScores s : rows) {
      sb.append(String.format(Locale.ROOT, "%-6s %10.3f %8.4f%s %10.5f %10s%n", s.name(),
          s.psnr(), s.ssim(), masked ? String.format(Locale.ROOT, " %10.4f", s.ssimMasked())
              : "", s.mae(), Double.isNaN(s.dataRange()) ? "per map" : fmt(s.dataRange())));
    }
    sb.append(note(m, o)).append(System.lineSeparator());
    return sb.toString();
  }

  /** How the scores were computed, one line. */
  public static String note(Mask m, SsimOptions o) {
    return String.format(Locale.ROOT, "PSNR = 10 log10(R^2 / MSE) with data range R; SSIM as"
            + " scikit-image (%s window %d, K1 %.2g, K2 %.2g, %s covariance)%s",
        o.gaussianWeights() ? "gaussian sigma " + o.sigma() : "uniform", o.winSize(), o.k1(),
        o.k2(), o.sampleCovariance() ? "sample" : "population",
        m != null ? "; PSNR/MAE inside the mask (" + m.count() + " voxels), SSIM mask = mean of"
            + " the SSIM map inside it" : "");
  }

  private static String tissueTable(List<MapScores> maps, List<List<TissueSummary>> tissues) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%n%-6s %-8s %8s %10s %10s %10s %10s%n", "map", "tissue", "voxels", "mean ref",
        "mean pred", "MAE", "PSNR (dB)"));
    for (int t = 0; t < maps.size(); t++) {
      for (TissueSummary s : tissues.get(t)) {
        sb.append(String.format(Locale.ROOT, "%-6s %-8s %8d %10.4f %10.4f %10.5f %10.3f%n",
            maps.get(t).name(), s.tissue(), s.voxels(), s.meanRef(), s.meanPred(), s.mae(),
            s.psnr()));
      }
    }
    return sb.toString();
  }

  private static String toJson(Request q, List<MapScores> maps, MapScores mean,
      List<List<TissueSummary>> tissues, Mask m, SsimOptions o, double[] ssim2d) {
    JsonObject root = new JsonObject();
    root.addProperty("pred", q.pred().toString());
    root.addProperty("ref", q.ref().toString());
    root.addProperty("mask", q.mask() == null ? null : q.mask().toString());
    root.add("maskVoxels", m == null ? JsonNull.INSTANCE : new JsonPrimitive(m.count()));
    JsonObject ssim = new JsonObject();
    ssim.addProperty("window", o.gaussianWeights() ? "gaussian" : "uniform");
    ssim.addProperty("winSize", o.winSize());
    ssim.addProperty("sigma", o.sigma());
    ssim.addProperty("K1", o.k1());
    ssim.addProperty("K2", o.k2());
    ssim.addProperty("sampleCovariance", o.sampleCovariance());
    root.add("ssimSettings", ssim);
    JsonArray arr = new JsonArray();
    for (int t = 0; t < maps.size(); t++) {
      JsonObject j = scores(maps.get(t));
      if (ssim2d != null) {
        j.add("ssimSlicewise2d", num(ssim2d[t]));
      }
      if (!tissues.isEmpty()) {
        JsonArray ts = new JsonArray();
        for (TissueSummary s : tissues.get(t)) {
          JsonObject x = new JsonObject();
          x.addProperty("label", s.label());
          x.addProperty("tissue", s.tissue());
          x.addProperty("voxels", s.voxels());
          x.add("meanRef", num(s.meanRef()));
          x.add("meanPred", num(s.meanPred()));
          x.add("mae", num(s.mae()));
          x.add("mse", num(s.mse()));
          x.add("psnr", num(s.psnr()));
          ts.add(x);
        }
        j.add("tissues", ts);
      }
      arr.add(j);
    }
    root.add("maps", arr);
    root.add("mean", scores(mean));
    return StrictJson.EXACT.toJson(root); // scores are compared to 1e-9 by tools
  }

  private static JsonObject scores(MapScores s) {
    JsonObject j = new JsonObject();
    j.addProperty("name", s.name());
    j.add("psnr", num(s.psnr()));
    j.add("ssim", num(s.ssim()));
    j.add("ssimMasked", num(s.ssimMasked()));
    j.add("mae", num(s.mae()));
    j.add("mse", num(s.mse()));
    j.add("dataRange", num(s.dataRange()));
    return j;
  }

  /** Finite numbers as numbers; NaN and infinity (identical images) as null, valid JSON. */
  private static com.google.gson.JsonElement num(double d) {
    return Double.isFinite(d) ? new JsonPrimitive(d) : JsonNull.INSTANCE;
  }

  private static String toCsv(List<MapScores> maps, MapScores mean) {
    StringBuilder sb = new StringBuilder("map,psnr_db,ssim,ssim_mask,mae,mse,data_range\n");
    List<MapScores> rows = new ArrayList<>(maps);
    rows.add(mean);
    for (MapScores s : rows) {
      sb.append(String.join(",", s.name(), Double.toString(s.psnr()), Double.toString(s.ssim()),
          Double.isNaN(s.ssimMasked()) ? "" : Double.toString(s.ssimMasked()),
          Double.toString(s.mae()), Double.toString(s.mse()),
          Double.isNaN(s.dataRange()) ? "" : Double.toString(s.dataRange()))).append('\n');
    }
    return sb.toString();
  }

  private static String fmt(double d) {
    return org.noddildm.app.view.SliceImages.number(d);
  }
}
