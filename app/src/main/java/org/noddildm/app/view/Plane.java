package org.noddildm.app.view;

import org.noddildm.core.volume.Volume;

/**
 * The three orthogonal planes, and the 2D slice images cut from a volume in display order:
 * row 0 is the top of the picture.
 *
 * <ul>
 *   <li>axial (a fixed S): anterior at the top, left/right across;
 *   <li>coronal (a fixed A): superior at the top, left/right across;
 *   <li>sagittal (a fixed R): superior at the top, anterior on the left.
 * </ul>
 *
 * In the neurological convention the patient's left is on the left of the picture; in the
 * radiological convention (as if facing the patient) it is on the right.
 */
public enum Plane {
  AXIAL(2, 0, 1),
  CORONAL(1, 0, 2),
  SAGITTAL(0, 1, 2);

  /** The display axis held fixed, and those running across and up the picture. */
  final int fixed;
  final int across;
  final int up;

  Plane(int fixed, int across, int up) {
    this.fixed = fixed;
    this.across = across;
    this.up = up;
  }

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * A 2D slice in display order.
   *
   * @param width pixels across
   * @param height pixels up
   * @param values row-major from the top-left
   * @param mmAcross voxel size across in mm
   * @param mmUp voxel size up in mm
   * @param leftLabel orientation letter of the left edge (e.g. "R" in radiological axial)
   * @param rightLabel letter of the right edge
   * @param topLabel letter of the top edge
   * @param bottomLabel letter of the bottom edge
   */
  public record Slice(int width, int height, float[] values, double mmAcross, double mmUp,
      String leftLabel, String rightLabel, String topLabel, String bottomLabel) {
    public float get(int col, int row) {
      return values[row * width + col];
    }
  }

  /** Cuts the slice at display index {@code index} of the fixed axis from volume {@code t}. */
  public Slice cut(Volume v, int t, DisplayOrientation o, int index, boolean radiological) {
    int w = o.size(across);
    int h = o.size(up);
    float[] out = new float[w * h];
    // Across runs L->R for axial/coronal (R->L when radiological), A->P for sagittal.
    boolean reverseAcross = this == SAGITTAL || radiological;
    for (int row = 0; row < h; row++) {
      int u = h - 1 - row;
      for (int col = 0; col < w; col++) {
        int c = reverseAcross ? w - 1 - col : col;
        int[] d = new int[3];
        d[fixed] = index;
        d[across] = c;
        d[up] = u;
        out[row * w + col] = o.value(v, t, d[0], d[1], d[2]);
      }
    }
    String lo = across == 0 ? "L" : "P";
    String hi = across == 0 ? "R" : "A";
    String left = reverseAcross ? hi : lo;
    String right = reverseAcross ? lo : hi;
    String top = up == 1 ? "A" : "S";
    String bottom = up == 1 ? "P" : "I";
    return new Slice(w, h, out, o.voxelMm(across), o.voxelMm(up), left, right, top, bottom);
  }
}
