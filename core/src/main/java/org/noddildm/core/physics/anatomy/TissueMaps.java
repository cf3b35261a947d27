package org.noddildm.core.physics.anatomy;

import java.util.List;
import java.util.Map;
import org.noddildm.core.volume.Parallel;

/**
 * Tissue fractions of a template from its brain-extracted T1:
 *
 * <ol>
 *   <li>CSF, gray and white matter as the posteriors of a 3-class {@link IntensityMixture} of the
 *       intensities inside the brain (T1 &gt; 0), i.e. partial volume from the intensity model;
 *   <li>with atlases (Colin27): deep gray matter where AAL (Tzourio-Mazoyer et al. 2002) labels
 *       caudate, putamen, pallidum or thalamus, taking the voxel's tissue share; white matter
 *       for the tissue share of the brainstem tracts of the JHU atlas (the T1 intensity of the
 *       brainstem's fibre tracts lies between gray and white matter); regions for
 *       per-region parameter offsets: the AAL cerebellum and the four nuclei (cortical areas
 *       get none: an atlas's area borders cut straight through continuous cortex, and offsets
 *       per area showed as straight edges in the maps);
 *   <li>a rim of extra-cerebral CSF: the brain dilated by {@code rimMm};
 *   <li>the ventricles: CSF-dominated voxels at least {@value #VENTRICLE_DEPTH_MM} mm deep in the
 *       brain and within {@value #VENTRICLE_HALF_WIDTH_MM} mm of the mid-sagittal plane, smoothed
 *       by a Gaussian of {@value #VENTRICLE_SIGMA_MM} mm so that lower thresholds of the
 *       smoothed indicator dilate them by up to a few millimetres.
 * </ol>
 */
final class TissueMaps {
  static final double VENTRICLE_DEPTH_MM = 10;
  static final double VENTRICLE_HALF_WIDTH_MM = 30;
  static final double VENTRICLE_SIGMA_MM = 3;

  /** Label images on the template grid and their names; null for a template without atlases. */
  record Atlases(int[] aal, Map<Integer, String> aalNames, int[] jhu,
      Map<Integer, String> jhuNames) {}

  final float[] csf;
  final float[] gm;
  final float[] wm;
  final float[] deep;
  final boolean[] brain;
  final float[] ventricle;
  final byte[] region;
  final int regions;
  /** The cerebellum's region index, or -1 without atlases. */
  final int cerebellum;
  final IntensityMixture mixture;

  TissueMaps(float[] t1, int[] dims, double voxel, double rimMm, int midX, Atlases atlases) {
    int n = t1.length;
    brain = new boolean[n];
    for (int i = 0; i < n; i++) {
      brain[i] = t1[i] > 0;
    }
    mixture = IntensityMixture.fit(t1, brain, 3, 60);
    csf = new float[n];
    gm = new float[n];
    wm = new float[n];
    deep = new float[n];
    boolean[] head = Fields.dilate(brain, dims, rimMm / voxel);
    Parallel.forChunks(n, 1 << 16, (start, end) -> {
      double[] r = new double[3];
      for (int i = start; i < end; i++) {
        if (brain[i]) {
          mixture.posterior(t1[i], r);
          csf[i] = (float) r[0];
          gm[i] = (float) r[1];
          wm[i] = (float) r[2];
        } else if (head[i]) {
          csf[i] = 1;
        }
      }
    });
    region = new byte[n];
    if (atlases != null) {
      regions = applyAtlases(atlases);
      cerebellum = 1;
    } else {
      regions = 1;
      cerebellum = -1;
    }
    ventricle = ventricles(dims, voxel, midX);
  }

  /**
   * Deep gray matter and regions from the atlases; returns the number of region indices:
   * the cerebellum 1; caudate, putamen, pallidum, thalamus 2..5.
   */
  private int applyAtlases(Atlases a) {
    List<Integer> cerebellum = TemplateFiles.labelsNamed(a.aalNames(), "Cerebelum", "Vermis");
    String[] nuclei = {"Caudate", "Putamen", "Pallidum", "Thalamus"};
    int[] regionOfAal = new int[256];
    for (int l : cerebellum) {
      regionOfAal[l] = 1;
    }
    boolean[] isDeep = new boolean[256];
    for (int k = 0; k < nuclei.length; k++) {
      for (int l : TemplateFiles.labelsNamed(a.aalNames(), nuclei[k])) {
        regionOfAal[l] = 2 + k;
        isDeep[l] = true;
      }
    }
    int[] aal = a.aal();
    boolean[] brainstemTract = new boolean[256];
    for (int l : TemplateFiles.labelsNamed(a.jhuNames(), "peduncle", "lemniscus", "pontine",
        "corticospinal")) {
      brainstemTract[l] = true;
    }
    int[] jhu = a.jhu();
    for (int i = 0; i < csf.length; i++) {
      if (brainstemTract[jhu[i] & 0xFF] && brain[i]) {
        wm[i] += gm[i];
        gm[i] = 0;
      }
      int l = aal[i] & 0xFF;
      region[i] = (byte) regionOfAal[l];
      if (isDeep[l] && brain[i]) {
        deep[i] = gm[i] + wm[i];
        gm[i] = 0;
        wm[i] = 0;
      }
    }
    return 2 + nuclei.length;
  }

  private float[] ventricles(int[] dims, double voxel, int midX) {
    int n = csf.length;
    double[] inside = new double[n];
    for (int i = 0; i < n; i++) {
      inside[i] = brain[i] ? 1 : 0;
    }
    int r = (int) Math.round(VENTRICLE_DEPTH_MM / voxel);
    double[] depth = Fields.box(inside, dims, 2 * r + 1);
    double halfWidth = VENTRICLE_HALF_WIDTH_MM / voxel;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      int x = i % dims[0];
      if (csf[i] > 0.5 && depth[i] > 0.999 && Math.abs(x - midX) < halfWidth) {
        v[i] = 1;
      }
    }
    double[] s = Fields.gaussian(v, dims, VENTRICLE_SIGMA_MM / voxel);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) s[i];
    }
    return out;
  }
}
