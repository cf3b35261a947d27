package org.noddildm.app.view;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;

/**
 * A tri-planar picture of one volume: axial, coronal and sagittal slices through one voxel,
 * oriented by the affine ({@link DisplayOrientation}), each edge labelled with its anatomical
 * direction, a colour bar with the value range, and the display convention written on it.
 */
public final class TriPlanarFigure {
  static final int MARGIN = 20;
  static final int HEADER = 46;
  static final int BAR_W = 16;
  static final int BAR_SPACE = 80;

  private TriPlanarFigure() {}

  /**
   * Draws volume {@code t} of {@code v} through voxel {@code voxel} (x, y, z of the file).
   *
   * @param title the first line on the picture, e.g. the file name
   */
  public static BufferedImage render(Volume v, int t, int[] voxel, ViewSettings s,
      String title) {
    return render(v, t, voxel, s, title, null);
  }

  /**
   * As {@link #render(Volume, int, int[], ViewSettings, String)}, with the outline of
   * {@code outline} (a mask of the same grid, non-zero inside; or null) drawn over each plane in
   * {@link SliceImages#OUTLINE}.
   */
  public static BufferedImage render(Volume v, int t, int[] voxel, ViewSettings s,
      String title, Volume outline) {
    BadArgumentException.require(outline == null || outline.grid().sameAs(v.grid()),
        "outline: expected a mask of the grid " + v.grid().shape() + ", found "
            + (outline == null ? "" : outline.grid().shape() + " or another affine"));
    BadArgumentException.require(voxel.length == 3 && v.grid().contains(voxel[0], voxel[1],
            voxel[2]), "slice: expected a voxel inside " + v.grid().shape() + ", found "
            + java.util.Arrays.toString(voxel));
    DisplayOrientation o = new DisplayOrientation(v.grid());
    Plane.Slice[] slices = new Plane.Slice[3];
    double maxMm = 0;
    for (Plane p : Plane.values()) {
      Plane.Slice sl = p.cut(v, t, o, o.displayIndex(p.fixed, voxel), s.radiological());
      slices[p.ordinal()] = sl;
      maxMm = Math.max(maxMm, Math.max(sl.width() * sl.mmAcross(), sl.height() * sl.mmUp()));
    }
    double pxPerMm = s.panelPx() / maxMm;
    BufferedImage[] panels = new BufferedImage[3];
    int width = MARGIN;
    int height = 0;
    for (int i = 0; i < 3; i++) {
      panels[i] = SliceImages.render(slices[i], s.colormap(), s.lo(), s.hi(), pxPerMm);
      if (outline != null) {
        Plane p = Plane.values()[i];
        SliceImages.drawOutline(panels[i], p.cut(outline, 0, o, o.displayIndex(p.fixed, voxel),
            s.radiological()), SliceImages.OUTLINE);
      }
      width += panels[i].getWidth() + 2 * MARGIN;
      height = Math.max(height, panels[i].getHeight());
    }
    width += BAR_SPACE;
    BufferedImage img = new BufferedImage(width, HEADER + height + 3 * MARGIN,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = SliceImages.graphics(img);
    g.drawString(title, MARGIN, 16);
    g.drawString(String.format(java.util.Locale.ROOT,
        "volume %d of %d, voxel (%d, %d, %d), %s, %s", t, v.nt(), voxel[0], voxel[1], voxel[2],
        s.colormap().label(), s.conventionText()), MARGIN, 34);
    int x = MARGIN;
    int y0 = HEADER + MARGIN;
    for (int i = 0; i < 3; i++) {
      drawPanel(g, panels[i], slices[i], Plane.values()[i].label(), x + MARGIN, y0);
      x += panels[i].getWidth() + 2 * MARGIN;
    }
    SliceImages.drawColorbar(g, x, y0, BAR_W, height, s);
    g.dispose();
    return img;
  }

  /**
   * One slice picture framed by its four orientation letters, for pages that lay pictures out
   * themselves (the reports): the same letters as the tri-planar figure.
   */
  public static BufferedImage lettered(BufferedImage panel, Plane.Slice sl) {
    int m = 16;
    BufferedImage img = new BufferedImage(panel.getWidth() + 2 * m, panel.getHeight() + 2 * m,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = SliceImages.graphics(img);
    drawPanel(g, panel, sl, "", m, m);
    g.dispose();
    return img;
  }

  /** A panel with its plane name above and orientation letters at its edges. */
  static void drawPanel(Graphics2D g, BufferedImage panel, Plane.Slice sl, String name, int x,
      int y) {
    g.drawImage(panel, x, y, null);
    int w = panel.getWidth();
    int h = panel.getHeight();
    g.drawString(name, x, y - 4);
    g.setColor(SliceImages.LABEL);
    g.drawString(sl.leftLabel(), x - 12, y + h / 2 + 4);
    g.drawString(sl.rightLabel(), x + w + 3, y + h / 2 + 4);
    g.drawString(sl.topLabel(), x + w / 2 - 4, y - 4);
    g.drawString(sl.bottomLabel(), x + w / 2 - 4, y + h + 13);
    g.setColor(SliceImages.TEXT);
  }
}
