package org.noddildm.app.view;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * Maps values to RGB colours over a range [lo, hi]: viridis (perceptually uniform, readable in
 * grey and by colour-blind readers; van der Walt and Smith 2015, matplotlib, CC0 data sampled at
 * 33 points and interpolated linearly) or gray.
 */
public enum Colormap {
  VIRIDIS(new int[] {
      0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
      0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e,
      0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b,
      0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b,
      0xfde725}),
  GRAY(new int[] {0x000000, 0xffffff});

  private final int[] lut = new int[256];

  Colormap(int[] anchors) {
    for (int i = 0; i < 256; i++) {
      double p = i / 255.0 * (anchors.length - 1);
      int a = Math.min((int) p, anchors.length - 2);
      double f = p - a;
      int rgb = 0;
      for (int shift = 16; shift >= 0; shift -= 8) {
        int c0 = (anchors[a] >> shift) & 0xff;
        int c1 = (anchors[a + 1] >> shift) & 0xff;
        rgb |= (int) Math.round(c0 + f * (c1 - c0)) << shift;
      }
      lut[i] = rgb;
    }
  }

  /** The colour (0xRRGGBB) of {@code v} in [lo, hi], clamped; NaN is black. */
  public int rgb(double v, double lo, double hi) {
    if (Double.isNaN(v)) {
      return 0;
    }
    double f = hi > lo ? (v - lo) / (hi - lo) : 0;
    int i = (int) Math.round(Math.max(0, Math.min(1, f)) * 255);
    return lut[i];
  }

  public static Colormap parse(String name) {
    for (Colormap c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new BadArgumentException("colormap: expected viridis or gray, found " + name);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
