package org.noddildm.core.physics.anatomy;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * Turns the template files of an anatomy into an {@link AnatomyTemplate}: crop the T1 to the
 * brain plus a margin, tissue fractions ({@link TissueMaps}), fibre orientations
 * ({@link FibreField}) and, for Colin27, the atlases (AAL deep gray matter and cerebellum, JHU
 * tracts through {@link TractField}), resampled onto the
 * T1's grid by nearest neighbour in MNI millimetres. The atlases are drawn on MNI templates that
 * Colin27 is registered to, so they fit it to within a few millimetres.
 *
 * <p>INIA19 (a macaque) is scaled by 2 about the world origin, to human size, and has no
 * atlases: tissue fractions and orientations from its T1 alone, no deep gray matter.
 */
final class TemplateBuilder {
  /** Thickness of the extra-cerebral CSF rim around the brain, mm. */
  static final double RIM_MM = 2.5;
  /** One in this many brain voxels is a candidate centre of a crop. */
  static final int BRAIN_STRIDE = 7;
  /** Scale of INIA19 to human size. */
  static final double INIA_SCALE = 2.0;

  private TemplateBuilder() {}

  static AnatomyTemplate build(Anatomy a) {
    switch (a) {
      case COLIN27:
        return build(a, TemplateFiles.COLIN_T1, 1.0, true);
      case INIA19:
        return build(a, TemplateFiles.INIA_T1, INIA_SCALE, false);
      default:
        throw new BadArgumentException("anatomical template: expected colin27 or inia19, found "
            + a.id());
    }
  }

  private static AnatomyTemplate build(Anatomy a, String t1Name, double scale,
      boolean atlases) {
    Volume t1 = scaled(TemplateFiles.read(t1Name), scale);
    double voxel = checkAxisAligned(t1, t1Name);
    int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
    int[] hi = {-1, -1, -1};
    Grid g0 = t1.grid();
    for (int z = 0; z < g0.nz(); z++) {
      for (int y = 0; y < g0.ny(); y++) {
        for (int x = 0; x < g0.nx(); x++) {
          if (t1.get(x, y, z) > 0) {
            int[] p = {x, y, z};
            for (int k = 0; k < 3; k++) {
              lo[k] = Math.min(lo[k], p[k]);
              hi[k] = Math.max(hi[k], p[k]);
            }
          }
        }
      }
    }
    if (hi[0] < 0) {
      throw new BadFileException(TemplateFiles.dir().resolve(t1Name),
          "expected a brain-extracted T1 (brain > 0), found no voxel above 0");
    }
    int margin = (int) Math.ceil(RIM_MM / voxel) + 3;
    int[] dims = new int[3];
    for (int k = 0; k < 3; k++) {
      dims[k] = hi[k] - lo[k] + 1 + 2 * margin;
    }
    Volume crop = VolumeOps.cropOrPad(t1, lo[0] - margin, lo[1] - margin, lo[2] - margin,
        dims[0], dims[1], dims[2], 0f);
    Grid grid = crop.grid();
    int[] mid = new int[3];
    double[] half = new double[3];
    for (int k = 0; k < 3; k++) {
      mid[k] = margin + (hi[k] - lo[k]) / 2;
      half[k] = (hi[k] - lo[k] + 1) * voxel / 2 + RIM_MM;
    }
    TissueMaps.Atlases at = null;
    TractField tracts = null;
    if (atlases) {
      at = new TissueMaps.Atlases(
          Fields.labelsOn(TemplateFiles.read(TemplateFiles.AAL), grid),
          TemplateFiles.labelNames(TemplateFiles.AAL),
          Fields.labelsOn(TemplateFiles.read(TemplateFiles.JHU), grid),
          TemplateFiles.labelNames(TemplateFiles.JHU));
    }
    TissueMaps maps = new TissueMaps(crop.data(), dims, voxel, RIM_MM, mid[0], at);
    float[] wmDir = FibreField.whiteMatter(maps.wm, dims, voxel);
    float[] gmDir = FibreField.cortexNormal(maps.gm, maps.wm, maps.deep, dims, voxel);
    if (at != null) {
      tracts = new TractField(at.jhu(), at.jhuNames(), dims, voxel);
      tracts.blendInto(wmDir);
    }
    int n = grid.size();
    float[] scalars = new float[AnatomyTemplate.SCALARS * n];
    float[] dirs = new float[6 * n];
    int[] core = new int[n];
    int cores = 0;
    int[] brain = new int[n / BRAIN_STRIDE + 1];
    int brains = 0;
    for (int i = 0; i < n; i++) {
      int b = AnatomyTemplate.SCALARS * i;
      scalars[b + AnatomyTemplate.CSF] = maps.csf[i];
      scalars[b + AnatomyTemplate.GM] = maps.gm[i];
      scalars[b + AnatomyTemplate.WM] = maps.wm[i];
      scalars[b + AnatomyTemplate.DEEP] = maps.deep[i];
      scalars[b + AnatomyTemplate.VENTRICLE] = maps.ventricle[i];
      if (tracts != null) {
        scalars[b + AnatomyTemplate.TRACT] = tracts.membership[i];
        scalars[b + AnatomyTemplate.CROSSING] = tracts.crossing[i];
      }
      System.arraycopy(wmDir, 3 * i, dirs, 6 * i, 3);
      System.arraycopy(gmDir, 3 * i, dirs, 6 * i + 3, 3);
      boolean cerebellar = maps.region[i] == maps.cerebellum;
      if (maps.wm[i] > 0.95f && !cerebellar) {
        core[cores++] = i;
      }
      if (maps.brain[i] && i % BRAIN_STRIDE == 0) {
        brain[brains++] = i;
      }
    }
    double[] origin = grid.affine().apply(0, 0, 0);
    double[] centre = grid.affine().apply(mid[0], mid[1], mid[2]);
    String source = String.format(Locale.ROOT, "%s from %s (T1 %s%s; mixture means CSF %.1f,"
        + " GM %.1f, WM %.1f)%s", a.id(), TemplateFiles.dir(), t1Name,
        scale == 1 ? "" : String.format(Locale.ROOT, " scaled by %.1f", scale),
        maps.mixture.mean()[0], maps.mixture.mean()[1], maps.mixture.mean()[2],
        atlases ? "; AAL deep gray matter and cerebellum, JHU tracts" : "; no atlases" + (a.heldOut() ? "; HELD OUT: benchmark only, never"
            + " train on it" : ""));
    return new AnatomyTemplate(a, dims, voxel, origin, scalars, dirs, maps.region,
        maps.regions, centre, half, java.util.Arrays.copyOf(core, cores),
        java.util.Arrays.copyOf(brain, brains), source);
  }

  /** The volume with its world coordinates multiplied by {@code s} (about the origin). */
  private static Volume scaled(Volume v, double s) {
    if (s == 1) {
      return v;
    }
    double[][] m = v.grid().affine().toArray();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        m[r][c] *= s;
      }
    }
    return new Volume(v.grid().withAffine(Affine.of(m)), v.nt(), v.data());
  }

  /** The isotropic voxel size; throws unless the affine is diagonal and positive (RAS). */
  private static double checkAxisAligned(Volume v, String name) {
    Affine a = v.grid().affine();
    double d = a.get(0, 0);
    boolean ok = d > 0;
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        double expected = r == c ? d : 0;
        ok &= Math.abs(a.get(r, c) - expected) < 1e-6 * d;
      }
    }
    if (!ok) {
      throw new BadFileException(TemplateFiles.dir().resolve(name), "expected an axis-aligned"
          + " template with equal positive voxel sizes (RAS storage), found affine\n" + a);
    }
    return d;
  }
}
