package org.noddildm.app.report;

/**
 * The CSS both reports (and the BIDS App's index page) share: dark background for the maps, a page at most 1400 px wide with
 * pictures that shrink to fit a narrower window (keeping their aspect, and their voxels sharp),
 * and the viewer's canvas.
 */
public final class PageStyle {
  public static final String CSS = "body{font-family:sans-serif;background:#111;color:#eee;"
      + "margin:20px auto;max-width:1400px;padding:0 12px;box-sizing:border-box}"
      + "table{border-collapse:collapse;max-width:100%}td,th{padding:4px 8px;text-align:center}"
      + "table.metrics td,table.metrics th{border:1px solid #555}"
      + "img{image-rendering:pixelated;display:block;margin:auto;max-width:100%;height:auto}"
      + "pre{background:#222;padding:8px;white-space:pre-wrap}"
      + ".note{color:#aaa;font-size:90%}.refs{color:#bbb;font-size:85%}"
      + ".viewer{width:100%;height:480px;background:#000}.viewer canvas{width:100%;height:100%}"
      + ".readout{font-family:monospace;background:#222;padding:6px}"
      + ".hists{display:flex;flex-wrap:wrap;gap:8px}";

  private PageStyle() {}

  /** Text made safe for HTML, in an element or an attribute value. */
  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
