package org.noddildm.core.io;

import org.noddildm.core.volume.Volume;

/**
 * An image read from a NIfTI file: its header as stored and its voxels as floats with
 * {@code scl_slope}/{@code scl_inter} already applied, on the grid of {@link NiftiHeader#affine()}.
 */
public record NiftiImage(NiftiHeader header, Volume volume) {}
