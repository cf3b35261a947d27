package org.noddildm.app.view;

import org.noddildm.core.BadArgumentException;

/**
 * How a picture is drawn.
 *
 * @param colormap value colours (default viridis)
 * @param lo value at the bottom of the colour scale
 * @param hi value at the top of the colour scale (> lo)
 * @param radiological patient's right on the picture's left (default false: neurological)
 * @param panelPx size in pixels of the longest side of a panel (default 256)
 */
public record ViewSettings(Colormap colormap, double lo, double hi, boolean radiological,
    int panelPx) {
  public ViewSettings {
    BadArgumentException.require(colormap != null, "colormap: expected one, found null");
    BadArgumentException.require(Double.isFinite(lo) && Double.isFinite(hi) && hi > lo,
        "display range: expected finite lo < hi, found " + lo + ", " + hi);
    BadArgumentException.require(panelPx >= 32 && panelPx <= 4096,
        "panel size: expected 32..4096 pixels, found " + panelPx);
  }

  /** The convention as it is written on the picture. */
  public String conventionText() {
    return radiological ? "radiological (patient's right on the left)"
        : "neurological (patient's left on the left)";
  }
}
