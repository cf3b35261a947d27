package org.noddildm.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SubVoxelsTest {
  @Test
  void channelsRoundTripRestoresTheHighResVolume() {
    Grid lo = Grid.of(3, 4, 5, 2.0);
    Grid hi = VolumeOps.upsampledGrid(lo, 2);
    float[] d = new float[hi.size() * 2];
    for (int i = 0; i < d.length; i++) {
      d[i] = i * 0.5f;
    }
    Volume v = new Volume(hi, 2, d);
    Volume c = SubVoxels.toChannels(v, lo, 2);
    assertEquals(16, c.nt());
    assertArrayEquals(d, SubVoxels.fromChannels(c, hi, 2).data());
  }

  @Test
  void subVoxelChannelIndexFollowsTheDocumentedLayout() {
    Grid lo = Grid.of(2, 2, 2, 2.0);
    Grid hi = VolumeOps.upsampledGrid(lo, 2);
    Volume v = Volume.zeros(hi, 1);
    v.set(3, 2, 1, 0, 7f); // low voxel (1, 1, 0), sub-voxel a=1, b=0, c=1 -> channel 1 + 4
    Volume c = SubVoxels.toChannels(v, lo, 2);
    assertEquals(7f, c.get(1, 1, 0, 5));
  }
}
