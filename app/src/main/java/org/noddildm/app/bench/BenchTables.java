package org.noddildm.app.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown tables of {@code noddi dev bench quality}: one per set and SNR. */
final class BenchTables {
  private BenchTables() {}

  static String markdown(Map<String, Map<String, List<SubjectScores>>> results,
      Map<String, Map<String, List<Double>>> seconds) {
    StringBuilder b = new StringBuilder();
    for (var e : results.entrySet()) {
      int n = e.getValue().values().iterator().next().size();
      b.append(String.format(Locale.ROOT, "### %s (%d subjects)%n%n", e.getKey(), n));
      b.append("PSNR in the brain (dB) / SSIM over the volume / SSIM in the brain, mean over"
          + " subjects; the original system's flattened scoring; seconds per subject.\n\n");
      b.append("| method | NDI | ODI | FWF | mean | flattened PSNR / SSIM | s |\n");
      b.append("|---|---|---|---|---|---|---|\n");
      for (var m : e.getValue().entrySet()) {
        List<SubjectScores> l = m.getValue();
        b.append("| ").append(m.getKey()).append(" |");
        for (int t = 0; t <= 3; t++) {
          b.append(String.format(Locale.ROOT, " %.2f / %.3f / %.3f |", mean(l, t, 0),
              mean(l, t, 1), mean(l, t, 2)));
        }
        double fp = l.stream().mapToDouble(s -> s.flattened().psnr()).average().orElse(0);
        double fs = l.stream().mapToDouble(s -> s.flattened().ssim()).average().orElse(0);
        double sec = seconds.get(e.getKey()).get(m.getKey()).stream()
            .mapToDouble(Double::doubleValue).average().orElse(0);
        b.append(String.format(Locale.ROOT, " %.2f / %.3f | %.1f |%n", fp, fs, sec));
      }
      b.append("\nDetail (Laplacian RMS, prediction / truth) NDI / ODI / FWF; for one sample its"
          + " texture around the point estimate (band power of sample - point over truth -"
          + " point, low / mid / high frequencies); for a method with an sd its spread-skill"
          + " ratio, Spearman correlation of the sd with the abs error and the coverage of"
          + " the interval it wrote (mean +- 1.645 sd without one; per map NDI / ODI /"
          + " FWF). Detail is scored in the true brain; texture, sd and interval where an"
          + " estimate exists (the true brain inside the scan's mask). Rim: the share of the"
          + " squared error in the true brain outside the scan's mask, where no method writes"
          + " maps, and the PSNR (dB) inside it.\n\n");
      b.append("| method | detail | texture NDI | texture ODI | texture FWF | spread-skill |"
          + " Spearman | 90% coverage | rim | PSNR where estimated |\n"
          + "|---|---|---|---|---|---|---|---|---|---|\n");
      for (var m : e.getValue().entrySet()) {
        List<SubjectScores> l = m.getValue();
        b.append("| ").append(m.getKey()).append(" | ").append(triple(avg(l, s -> s.detail())))
            .append(" |");
        for (int t = 0; t < 3; t++) {
          final int map = t;
          b.append(' ').append(l.get(0).texture() == null ? "-"
              : triple(avg(l, s -> s.texture()[map]))).append(" |");
        }
        for (int k = 0; k < 3; k++) {
          final int fig = k;
          b.append(' ').append(l.get(0).uncertainty() == null ? "-"
              : triple(avg(l, s -> s.uncertainty()[fig]))).append(" |");
        }
        b.append(' ').append(triple(avg(l, s -> s.rim()))).append(" | ")
            .append(triple(avg(l, s -> s.psnrGiven()))).append(" |\n");
      }
      for (var m : e.getValue().entrySet()) {
        List<SubjectScores> l = m.getValue();
        if (l.get(0).sdErrorCorrelation() != null) {
          double[] c = new double[3];
          for (SubjectScores s : l) {
            for (int t = 0; t < 3; t++) {
              c[t] += s.sdErrorCorrelation()[t] / l.size();
            }
          }
          b.append(String.format(Locale.ROOT, "%nUncertainty, %s: correlation between the"
              + " per-voxel sd over samples and the absolute error, NDI/ODI/FWF %.2f / %.2f /"
              + " %.2f.%n", m.getKey(), c[0], c[1], c[2]));
        }
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** The mean over subjects of a per-map figure. */
  private static double[] avg(List<SubjectScores> l,
      java.util.function.Function<SubjectScores, double[]> f) {
    double[] m = new double[3];
    for (SubjectScores s : l) {
      double[] v = f.apply(s);
      for (int t = 0; t < 3; t++) {
        m[t] += v[t] / l.size();
      }
    }
    return m;
  }

  private static String triple(double[] v) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", v[0], v[1], v[2]);
  }

  /** Mean over subjects of map t (3: the mean of the three maps) of figure k. */
  private static double mean(List<SubjectScores> l, int t, int k) {
    double sum = 0;
    for (SubjectScores s : l) {
      double[] v = k == 0 ? s.psnr() : k == 1 ? s.ssim() : s.ssimBrain();
      sum += t < 3 ? v[t] : (v[0] + v[1] + v[2]) / 3;
    }
    return sum / l.size();
  }
}
