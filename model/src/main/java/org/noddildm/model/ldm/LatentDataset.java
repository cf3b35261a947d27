package org.noddildm.model.ldm;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.data.DatasetSubject;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.vqgan.TiledCoder;
import org.noddildm.model.vqgan.Vqgan;

/**
 * Latent pairs of a paired dataset for LDM training: the NODDI latent {@code z_e} of the NODDI
 * VQ-GAN (continuous, before quantization, as in Rombach et al. 2022) is x_0; the condition is
 * the latent, from the DMRI VQ-GAN, of the scan's per-shell SH features resampled to the
 * high-res grid ({@link DwiCondition}), so both latents share a grid. Each latent is
 * multiplied by a scale so that the training latents have unit standard deviation, matching the
 * unit-variance noise of the diffusion (Rombach et al., section 4.3.2).
 *
 * @param pairs one pair per subject, latents already scaled
 * @param latentScale the factor applied to NODDI latents (divide samples by it before decoding)
 * @param condScale the factor applied to DMRI latents
 */
public record LatentDataset(List<LatentPair> pairs, double latentScale, double condScale) {

  /** Continuous latents of one subject, unscaled, as (C, D, H, W) arrays. */
  record Raw(float[] x0, int c, float[] cond, int cc, int d, int h, int w) {}

  /**
   * Encodes every subject with the two autoencoders; with {@code latentScale} or
   * {@code condScale} not positive, the scale is measured on these subjects (training); pass the
   * stored scales otherwise.
   */
  public static LatentDataset encode(List<DatasetSubject> subjects, Vqgan noddi, Vqgan dwi,
      DwiCondition condition, NDManager manager, double latentScale, double condScale)
      throws IOException {
    List<Raw> raw = new ArrayList<>();
    for (DatasetSubject s : subjects) {
      raw.add(encodeSubject(s, noddi, dwi, condition, manager));
    }
    double ls = latentScale > 0 ? latentScale
        : LatentScale.toUnitSd(raw.stream().map(Raw::x0).toList());
    double cs = condScale > 0 ? condScale
        : LatentScale.toUnitSd(raw.stream().map(Raw::cond).toList());
    List<LatentPair> pairs = new ArrayList<>();
    for (Raw r : raw) {
      pairs.add(new LatentPair(LatentScale.apply(r.x0(), ls), r.c(),
          LatentScale.apply(r.cond(), cs), r.cc(), r.d(), r.h(), r.w()));
    }
    return new LatentDataset(pairs, ls, cs);
  }

  static Raw encodeSubject(DatasetSubject subject, Vqgan noddi, Vqgan dwi,
      DwiCondition condition, NDManager manager) throws IOException {
    Volume maps = subject.noddi();
    Volume scan = subject.features(condition);
    BadArgumentException.require(noddi.config().inChannels() == maps.nt(), "NODDI VQ-GAN: "
        + "expected " + maps.nt() + " input channels, found " + noddi.config().inChannels());
    if (dwi.config().inChannels() != scan.nt()) {
      throw new BadFileException(subject.dataset().subjectDir(subject.name())
          .resolve(PairedDataset.DWI), "expected "
          + dwi.config().inChannels() + " DWI volumes (as the DMRI VQ-GAN was trained on), found "
          + scan.nt());
    }
    Volume zx = encode(noddi, maps, manager);
    Volume zc = ConditionalGenerator.conditionLatent(dwi, scan, zx.grid(), manager);
    Grid g = zx.grid();
    return new Raw(zx.data(), zx.nt(), zc.data(), zc.nt(), g.nz(), g.ny(), g.nx());
  }

  /**
   * z_e of a whole volume, as a volume on the latent grid (same field of view), encoded in
   * overlapping tiles of {@value ConditionalGenerator#ENCODE_TILE} voxels (one piece up to that size).
   */
  public static Volume encode(Vqgan g, Volume v, NDManager manager) {
    int f = g.config().downFactor();
    BadArgumentException.require(v.nx() % f == 0 && v.ny() % f == 0 && v.nz() % f == 0,
        "volume: expected sizes that are multiples of the VQ-GAN factor " + f + ", found "
            + v.nx() + " x " + v.ny() + " x " + v.nz());
    return TiledCoder.encode(g, manager, v, ConditionalGenerator.ENCODE_TILE,
        ConditionalGenerator.ENCODE_OVERLAP);
  }
}
