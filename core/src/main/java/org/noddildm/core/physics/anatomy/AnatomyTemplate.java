package org.noddildm.core.physics.anatomy;

import java.util.EnumMap;
import java.util.Map;
import org.noddildm.core.physics.phantom.Anatomy;

/**
 * A template processed once for phantom generation, on its own 1 mm grid (cropped to the head):
 * partial-volume tissue fractions, the ventricles, white-matter tract membership and crossings,
 * fibre directions and regions, as float arrays that {@link AnatomyVoxel} samples through each
 * subject's transform. Built by {@link TemplateBuilder}; {@link #of} caches one per anatomy for
 * the life of the process (thread-safe: the first caller builds it, the others wait).
 *
 * <p>Directions are unit vectors in the template's world frame (RAS millimetres), zero where
 * undefined. Fractions sum to 1 inside the head (brain plus a rim of extra-cerebral CSF) and to
 * 0 outside.
 */
final class AnatomyTemplate {
  static final int CSF = 0;
  static final int GM = 1;
  static final int WM = 2;
  static final int DEEP = 3;
  /** Smoothed indicator of the ventricles (0..1): thresholds below 0.5 dilate them. */
  static final int VENTRICLE = 4;
  /** Membership in a labelled white-matter tract (0..1). */
  static final int TRACT = 5;
  /** Crossing of two labelled tracts: weight times sin^2 of their angle (0..1). */
  static final int CROSSING = 6;
  static final int SCALARS = 7;

  private static final Map<Anatomy, AnatomyTemplate> CACHE = new EnumMap<>(Anatomy.class);

  final Anatomy anatomy;
  final int nx;
  final int ny;
  final int nz;
  /** Voxel size in mm (after the template's scale). */
  final double voxel;
  /** World position (mm) of voxel (0, 0, 0). */
  final double[] origin;
  /** {@link #SCALARS} values per voxel, interleaved. */
  final float[] scalars;
  /** 6 values per voxel: white-matter fibre direction, then the cortex normal. */
  final float[] dirs;
  /** Region per voxel (0 none): cerebellum, deep nuclei. */
  final byte[] region;
  /** Number of region indices (1 + the largest). */
  final int regions;
  /** The brain's bounding-box centre (world mm, at a voxel centre). */
  final double[] centre;
  /** Half the head's bounding-box size per axis (brain plus CSF rim), mm. */
  final double[] halfExtent;
  /** Voxels of nearly pure cerebral white matter, where lesions may be centred. */
  final int[] wmCore;
  /** Every few brain voxels, where crops may be centred. */
  final int[] brainSample;
  /** What it was made from, for provenance. */
  final String source;

  AnatomyTemplate(Anatomy anatomy, int[] dims, double voxel, double[] origin, float[] scalars,
      float[] dirs, byte[] region, int regions, double[] centre, double[] halfExtent,
      int[] wmCore, int[] brainSample, String source) {
    this.anatomy = anatomy;
    this.nx = dims[0];
    this.ny = dims[1];
    this.nz = dims[2];
    this.voxel = voxel;
    this.origin = origin.clone();
    this.scalars = scalars;
    this.dirs = dirs;
    this.region = region;
    this.regions = regions;
    this.centre = centre.clone();
    this.halfExtent = halfExtent.clone();
    this.wmCore = wmCore;
    this.brainSample = brainSample;
    this.source = source;
  }

  /** The processed template of {@code a}, built on first use and then shared. */
  static AnatomyTemplate of(Anatomy a) {
    synchronized (CACHE) {
      AnatomyTemplate t = CACHE.get(a);
      if (t == null) {
        t = TemplateBuilder.build(a);
        CACHE.put(a, t);
      }
      return t;
    }
  }

  int size() {
    return nx * ny * nz;
  }

  /**
   * Trilinear interpolation of the scalars at template voxel coordinates (px, py, pz) into
   * {@code out}; zero beyond the grid (outside the head).
   */
  void sample(double px, double py, double pz, double[] out) {
    java.util.Arrays.fill(out, 0, SCALARS, 0);
    int x0 = (int) Math.floor(px);
    int y0 = (int) Math.floor(py);
    int z0 = (int) Math.floor(pz);
    if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= nx - 1 || y0 >= ny - 1 || z0 >= nz - 1) {
      return; // the grid has an empty margin around the head
    }
    double fx = px - x0;
    double fy = py - y0;
    double fz = pz - z0;
    for (int c = 0; c < 8; c++) {
      int dx = c & 1;
      int dy = (c >> 1) & 1;
      int dz = c >> 2;
      double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz);
      if (w == 0) {
        continue;
      }
      int base = SCALARS * (x0 + dx + nx * (y0 + dy + ny * (z0 + dz)));
      for (int k = 0; k < SCALARS; k++) {
        out[k] += w * scalars[base + k];
      }
    }
  }

  /** Index of the voxel nearest to (px, py, pz), or -1 beyond the grid. */
  int nearest(double px, double py, double pz) {
    int x = (int) Math.floor(px + 0.5);
    int y = (int) Math.floor(py + 0.5);
    int z = (int) Math.floor(pz + 0.5);
    if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) {
      return -1;
    }
    return x + nx * (y + ny * z);
  }
}
