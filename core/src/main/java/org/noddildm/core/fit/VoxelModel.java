package org.noddildm.core.fit;

import java.util.List;
import org.noddildm.core.BadArgumentException;

/**
 * A signal model that fits one voxel at a time (dipy's Model/Fit pattern): it knows the
 * protocol, names its output maps, and hands out per-thread {@link VoxelFitter}s that
 * {@link VoxelMapper} runs over a masked volume.
 */
public interface VoxelModel {
  /** The maps this model writes, in the order {@link VoxelFitter#fit} fills them. */
  List<Output> outputs();

  /** A fitter with its own scratch space, for one thread. */
  VoxelFitter newFitter();

  /** Total number of output values per voxel. */
  default int outputCount() {
    int n = 0;
    for (Output o : outputs()) {
      n += o.components();
    }
    return n;
  }

  /**
   * One output map.
   *
   * @param name file-name part, e.g. "ndi"
   * @param components values per voxel (1 for a scalar map, 3 for a direction)
   * @param description what the values are, with units
   */
  record Output(String name, int components, String description) {
    public Output {
      BadArgumentException.require(name != null && name.matches("[a-z0-9_]+"),
          "output name: expected lower-case letters, digits or _, found " + name);
      BadArgumentException.require(components >= 1,
          "output components: expected at least 1, found " + components);
    }
  }
}
