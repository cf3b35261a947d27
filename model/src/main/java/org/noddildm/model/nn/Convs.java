package org.noddildm.model.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

/** Factory for the 3D convolutions the blocks use (all with bias, layout NCDHW). */
public final class Convs {
  private Convs() {}

  /** A k x k x k convolution with "same" padding (k odd) and stride 1. */
  public static Conv3d same(int filters, int k) {
    int p = k / 2;
    return Conv3d.builder().setFilters(filters).setKernelShape(new Shape(k, k, k))
        .optPadding(new Shape(p, p, p)).build();
  }

  /** A k x k x k convolution with the given stride and padding. */
  public static Conv3d strided(int filters, int k, int stride, int pad) {
    return Conv3d.builder().setFilters(filters).setKernelShape(new Shape(k, k, k))
        .optStride(new Shape(stride, stride, stride)).optPadding(new Shape(pad, pad, pad))
        .build();
  }
}
