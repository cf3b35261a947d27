package org.noddildm.app.view;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.noddildm.core.volume.Volume;

/**
 * One plane through the same voxel for every volume of a 4D image (e.g. every diffusion
 * direction), in a grid, each tile labelled, with one colour bar for all.
 */
public final class MontageFigure {
  private MontageFigure() {}

  /**
   * @param labels one caption per volume (e.g. "3  b=1000"), or null for the volume index
   */
  public static BufferedImage render(Volume v, Plane plane, int[] voxel, ViewSettings s,
      String title, String[] labels) {
    DisplayOrientation o = new DisplayOrientation(v.grid());
    int index = o.displayIndex(plane.fixed, voxel);
    Plane.Slice first = plane.cut(v, 0, o, index, s.radiological());
    double pxPerMm = s.panelPx() / Math.max(first.width() * first.mmAcross(),
        first.height() * first.mmUp());
    int tileW = (int) Math.round(first.width() * first.mmAcross() * pxPerMm);
    int tileH = (int) Math.round(first.height() * first.mmUp() * pxPerMm);
    int cols = (int) Math.ceil(Math.sqrt(v.nt()));
    int rows = (v.nt() + cols - 1) / cols;
    int m = TriPlanarFigure.MARGIN;
    int cellW = tileW + m;
    int cellH = tileH + m + 14;
    // At least wide enough for the two header lines.
    BufferedImage img = new BufferedImage(Math.max(660, m + cols * cellW
        + TriPlanarFigure.BAR_SPACE),
        TriPlanarFigure.HEADER + m + rows * cellH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = SliceImages.graphics(img);
    g.drawString(title, m, 16);
    g.drawString(String.format(java.util.Locale.ROOT, "%s plane through voxel (%d, %d, %d), %d"
            + " volumes, %s, %s", plane.label().toLowerCase(java.util.Locale.ROOT), voxel[0],
        voxel[1], voxel[2], v.nt(), s.colormap().label(), s.conventionText()), m, 34);
    for (int t = 0; t < v.nt(); t++) {
      Plane.Slice sl = t == 0 ? first : plane.cut(v, t, o, index, s.radiological());
      int x = m + (t % cols) * cellW;
      int y = TriPlanarFigure.HEADER + m + (t / cols) * cellH;
      g.drawString(labels == null ? Integer.toString(t) : labels[t], x, y + 10);
      g.setColor(SliceImages.LABEL);
      g.drawString(sl.leftLabel(), x - 12, y + 14 + tileH / 2 + 4);
      g.setColor(SliceImages.TEXT);
      g.drawImage(SliceImages.render(sl, s.colormap(), s.lo(), s.hi(), pxPerMm), x, y + 14,
          null);
    }
    SliceImages.drawColorbar(g, m + cols * cellW, TriPlanarFigure.HEADER + m + 14,
        TriPlanarFigure.BAR_W, Math.max(64, Math.min(rows * cellH - 14, 256)), s);
    g.dispose();
    return img;
  }
}
