package org.noddildm.core.fit;

/** Fits one voxel; an instance holds scratch space and is used by one thread at a time. */
@FunctionalInterface
public interface VoxelFitter {
  /**
   * Fits {@code signal} (one value per volume, all finite) and writes the model's outputs into
   * {@code out}; returns false when the voxel cannot be fitted (e.g. no usable signal).
   */
  boolean fit(double[] signal, double[] out);
}
