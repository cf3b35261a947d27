package org.noddildm.app.view;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Drawing helpers: a slice in colour at its physical aspect, colour bars, text, PNG bytes. */
public final class SliceImages {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  static final Color BACKGROUND = Color.BLACK;
  static final Color TEXT = Color.WHITE;
  /** Orientation letters, as viewers colour them apart from the image. */
  static final Color LABEL = new Color(0xffd24a);
  /** The brain-mask outline over a grey image: a colour no grey value and no letter has. */
  public static final Color OUTLINE = new Color(0xff4b4b);

  private SliceImages() {}

  /**
   * The slice coloured over [lo, hi], {@code pxPerMm} pixels per millimetre, nearest neighbour
   * so that voxels stay visible as voxels.
   */
  public static BufferedImage render(Plane.Slice s, Colormap cm, double lo, double hi,
      double pxPerMm) {
    int w = Math.max(1, (int) Math.round(s.width() * s.mmAcross() * pxPerMm));
    int h = Math.max(1, (int) Math.round(s.height() * s.mmUp() * pxPerMm));
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      int row = Math.min(s.height() - 1, (int) ((y + 0.5) * s.height() / h));
      for (int x = 0; x < w; x++) {
        int col = Math.min(s.width() - 1, (int) ((x + 0.5) * s.width() / w));
        img.setRGB(x, y, cm.rgb(s.get(col, row), lo, hi));
      }
    }
    return img;
  }

  /**
   * Draws the outline of {@code mask} (non-zero inside) on a picture that {@link #render} made of
   * a slice of the same shape: every picture pixel inside the mask whose neighbour to the left,
   * right, top or bottom is outside it (or off the picture) takes the colour, a line one pixel
   * thin along the mask's edge whatever the zoom.
   */
  public static void drawOutline(BufferedImage img, Plane.Slice mask, Color c) {
    int w = img.getWidth();
    int h = img.getHeight();
    boolean[] in = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      int row = Math.min(mask.height() - 1, (int) ((y + 0.5) * mask.height() / h));
      for (int x = 0; x < w; x++) {
        int col = Math.min(mask.width() - 1, (int) ((x + 0.5) * mask.width() / w));
        in[y * w + x] = mask.get(col, row) != 0;
      }
    }
    int rgb = c.getRGB() & 0xffffff;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (in[y * w + x] && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !in[y * w + x - 1]
            || !in[y * w + x + 1] || !in[(y - 1) * w + x] || !in[(y + 1) * w + x])) {
          img.setRGB(x, y, rgb);
        }
      }
    }
  }

  /** A vertical colour bar of the given size with the range printed at its ends. */
  static void drawColorbar(Graphics2D g, int x, int y, int w, int h, ViewSettings v) {
    for (int i = 0; i < h; i++) {
      double f = 1 - i / (double) Math.max(1, h - 1);
      g.setColor(new Color(v.colormap().rgb(v.lo() + f * (v.hi() - v.lo()), v.lo(), v.hi())));
      g.fillRect(x, y + i, w, 1);
    }
    g.setColor(TEXT);
    g.drawRect(x, y, w - 1, h - 1);
    g.drawString(number(v.hi()), x + w + 4, y + 10);
    g.drawString(number((v.lo() + v.hi()) / 2), x + w + 4, y + h / 2 + 4);
    g.drawString(number(v.lo()), x + w + 4, y + h);
  }

  /** A short number for labels: 4 significant digits. */
  public static String number(double v) {
    return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
        .replaceAll("\\.(e|$)", "$1");
  }

  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(BACKGROUND);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(TEXT);
    return g;
  }

  /** Range of the finite values of a slice set: [min, 99.5th percentile], for DWI contrast. */
  public static double[] robustRange(float[] values) {
    float[] f = Arrays.copyOf(values, values.length);
    int n = 0;
    for (float v : values) {
      if (Float.isFinite(v)) {
        f[n++] = v;
      }
    }
    if (n == 0) {
      return new double[] {0, 1};
    }
    Arrays.sort(f, 0, n);
    double lo = f[0];
    double hi = f[Math.min(n - 1, (int) Math.floor(0.995 * (n - 1)))];
    if (!(hi > lo)) {
      hi = f[n - 1] > lo ? f[n - 1] : lo + 1;
    }
    return new double[] {lo, hi};
  }

  public static byte[] png(BufferedImage img) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
