package org.noddildm.core.physics.phantom;

/** Tissue labels of the phantom, as written to labels.nii.gz. */
public final class Tissue {
  public static final int BACKGROUND = 0;
  public static final int CSF = 1;
  public static final int GM = 2;
  public static final int WM = 3;
  public static final int DEEP_GM = 4;
  /** Number of labels including background. */
  public static final int COUNT = 5;

  private Tissue() {}

  public static String name(int label) {
    switch (label) {
      case CSF: return "CSF";
      case GM: return "cortical gray matter";
      case WM: return "white matter";
      case DEEP_GM: return "deep gray matter";
      default: return "background";
    }
  }
}
