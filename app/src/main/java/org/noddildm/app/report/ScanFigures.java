package org.noddildm.app.report;

import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.Locale;
import org.noddildm.app.view.Colormap;
import org.noddildm.app.view.SliceImages;
import org.noddildm.app.view.TriPlanarFigure;
import org.noddildm.app.view.ViewSettings;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * The QC report's pictures of the input scan, on the scan's own grid: the mean of its b0
 * volumes and the mean of each shell's volumes in three planes, grey from the image's minimum
 * to its 99.5th percentile, with the outline of the brain mask (the mask the SNR estimate and
 * the classic fit used) and the orientation letters; then the gradient directions of each shell
 * on the sphere ({@link GradientSphere}). The planes go through the point of the output grid's
 * voxel that the map pictures show, so that both sets show the same anatomy.
 */
final class ScanFigures {
  private ScanFigures() {}

  /** The sections "input" and "gradients" of the page. */
  static String html(QcInputs.Scan scan, Grid out, int[] outVoxel, boolean radiological,
      int panelPx) {
    GradientTable table = scan.table();
    Volume dwi = scan.dwi();
    int[] voxel = scanVoxel(dwi.grid(), out, outVoxel);
    Volume outline = scan.brain() == null ? null : scan.brain().toVolume();
    StringBuilder h = new StringBuilder("<h2 id=\"input\">Input scan</h2>\n<p class=\"note\">")
        .append(ReportPage.esc(scan.name())).append(", ").append(dwi.grid().shape())
        .append(" x ").append(dwi.nt()).append(" volumes: the mean b0 and the mean of each"
            + " shell on the scan's grid, grey from the minimum to the 99.5th percentile")
        .append(outline == null ? "" : ", with the outline of the brain mask (red; median"
            + " Otsu of the mean b0, the mask of the SNR estimate and the classic fit)")
        .append(". Look for motion or signal dropouts, a mask that cuts brain or keeps"
            + " skull, and a shell that is darker than its b-value explains.</p>\n");
    int[] b0 = table.b0Indices();
    if (b0.length > 0) {
      h.append(picture(mean(dwi, b0), voxel, outline, radiological, panelPx,
          String.format(Locale.ROOT, "mean b0 (%d volume%s)", b0.length, b0.length == 1 ? ""
              : "s")));
    }
    for (GradientTable.Shell s : table.shells()) {
      h.append(picture(mean(dwi, s.indices()), voxel, outline, radiological, panelPx,
          String.format(Locale.ROOT, "mean DWI, b=%.0f (%d volumes)", s.bvalue(), s.count())));
    }
    h.append("<h2 id=\"gradients\">Gradient directions</h2>\n<p class=\"note\">Each shell's"
        + " directions on the upper hemisphere (equal-area projection, +z at the centre, the"
        + " equator on the rim; axes of the b-vector file). A vector pointing down is drawn as"
        + " its antipode (open circle): both measure the same. Evenly spread dots are what the"
        + " fit expects; gaps, clusters or a closest pair near 0&deg; are a warning.</p>\n")
        .append(GradientSphere.html(table));
    return h.toString();
  }

  /** The voxel of {@code scan} nearest to the centre of voxel {@code voxel} of {@code out}. */
  static int[] scanVoxel(Grid scan, Grid out, int[] voxel) {
    double[] world = out.affine().apply(voxel[0], voxel[1], voxel[2]);
    double[] v = scan.affine().inverse().apply(world[0], world[1], world[2]);
    int[] n = {scan.nx(), scan.ny(), scan.nz()};
    int[] r = new int[3];
    for (int c = 0; c < 3; c++) {
      r[c] = (int) Math.max(0, Math.min(n[c] - 1, Math.round(v[c])));
    }
    return r;
  }

  private static Volume mean(Volume dwi, int[] volumes) {
    return Volume.of(dwi.grid(), ShellFeatures.meanB0(dwi, volumes));
  }

  private static String picture(Volume v, int[] voxel, Volume outline, boolean radiological,
      int panelPx, String title) {
    double[] range = SliceImages.robustRange(v.data());
    BufferedImage img = TriPlanarFigure.render(v, 0, voxel, new ViewSettings(Colormap.GRAY,
        range[0], range[1], radiological, panelPx), title, outline);
    return "<img class=\"scan\" src=\"data:image/png;base64," + Base64.getEncoder()
        .encodeToString(SliceImages.png(img)) + "\" alt=\"" + ReportPage.esc(title)
        + " in three planes\">\n";
  }
}
