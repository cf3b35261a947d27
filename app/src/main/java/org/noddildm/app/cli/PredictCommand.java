package org.noddildm.app.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.ConditionalGenerator;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.NoddiModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi predict}: high-resolution NODDI maps from a short low-resolution DWI scan with a
 * trained model (VQ-GAN + conditional latent diffusion, DDIM sampling).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Predict high-resolution NDI, ODI and FWF maps from a low-resolution DWI"
        + " with a trained model (noddi train): the scan's per-shell SH features are encoded,"
        + " NODDI latents are sampled with DDIM in overlapping latent tiles, and decoded.",
        "Writes PREFIX_ndi/odi/fwf.nii.gz and PREFIX_noddi.nii.gz (3 volumes) on the"
            + " high-res grid (the scan's field of view, voxels smaller by the model's factor),"
            + " PREFIX_*_std.nii.gz with --samples > 1, and PREFIX_prediction.json."})
public final class PredictCommand implements Callable<Integer> {
  static final String[] MAPS = {"ndi", "odi", "fwf"};

  /** The brain on the output grid and where it came from (for the sidecar). */
  private record Brain(Mask mask, String source) {}

  @Option(names = "--dwi", required = true, paramLabel = "FILE",
      description = "Low-resolution DWI (4D NIfTI).")
  Path dwi;

  @Option(names = "--bval", required = true, paramLabel = "FILE", description = "FSL bvals.")
  Path bval;

  @Option(names = "--bvec", required = true, paramLabel = "FILE", description = "FSL bvecs.")
  Path bvec;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (noddi train --out, or a noddi train-ldm directory).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "PREFIX",
      description = "Output prefix, e.g. out/sub01 gives out/sub01_ndi.nii.gz, ...")
  String out;

  @Option(names = "--steps", defaultValue = "100", paramLabel = "N",
      description = "DDIM steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--eta", defaultValue = "0", paramLabel = "ETA",
      description = "DDIM eta: 0 deterministic, 1 DDPM-like (default: ${DEFAULT-VALUE}).")
  double eta;

  @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
      description = "Samples to average; > 1 also writes per-voxel standard deviation maps"
          + " (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
      description = "Seed of the sampling noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask on the scan's grid or on the output grid (nonzero = brain);"
          + " the maps are 0 outside it. Default: median Otsu of the scan's mean b0.")
  Path mask;

  @Option(names = "--no-mask", description = "Keep the model's values outside the brain too.")
  boolean noMask;

  @Option(names = "--tile", defaultValue = "32", paramLabel = "N",
      description = "Latent tile side in latent voxels; 32 (64 voxels at factor 2) samples a"
          + " 64^3 subject in one piece (default: ${DEFAULT-VALUE}).")
  int tile;

  @Option(names = "--overlap", defaultValue = "8", paramLabel = "N",
      description = "Overlap of latent tiles in latent voxels (default: ${DEFAULT-VALUE}).")
  int overlap;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Where to compute: cpu (default), gpu or gpu:N.")
  String device;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(steps >= 1 && steps <= 1000, "--steps: expected 1..1000,"
        + " found " + steps);
    BadArgumentException.require(samples >= 1, "--samples: expected >= 1, found " + samples);
    BadArgumentException.require(eta >= 0 && eta <= 1, "--eta: expected 0..1, found " + eta);
    BadArgumentException.require(!(noMask && mask != null), "--mask/--no-mask: expected one of"
        + " them, found both");
    for (Path p : mask == null ? new Path[] {dwi, bval, bvec} : new Path[] {dwi, bval, bvec,
        mask}) {
      if (!Files.isRegularFile(p)) {
        throw new BadFileException(p, "expected an input file, found none");
      }
    }
    Path dir = model != null ? model : ShippedModel.locate();
    NoddiModel parts = NoddiModel.open(dir);
    GradientTable table = GradientIO.readFsl(bval, bvec);
    NiftiImage scan = NiftiReader.read(dwi);
    if (scan.volume().nt() != table.size()) {
      throw new BadFileException(dwi, "expected " + table.size() + " volumes (one per entry of "
          + bval.getFileName() + "), found " + scan.volume().nt());
    }
    long start = System.nanoTime();
    try (NDManager m = Engines.newManager(Engines.device(device))) {
      NoddiModel.Loaded l = parts.load(m);
      Volume features = l.condition().features(scan.volume(), table);
      Grid hi = l.condition().highGrid(scan.volume().grid());
      Brain brain = noMask ? null : brainMask(scan.volume(), table, hi);
      DdimSampler sampler = new DdimSampler(l.diffusion(), steps, eta);
      ConditionalGenerator gen = l.generator();
      pw.printf(Locale.ROOT, "predict: %s (%d x %d x %d, %s) -> %d x %d x %d, factor %d,"
          + " DDIM %d steps, eta %s, %d sample%s%n", dwi.getFileName(), scan.volume().nx(),
          scan.volume().ny(), scan.volume().nz(), table.summary(), hi.nx(), hi.ny(), hi.nz(),
          l.factor(), steps, eta, samples, samples == 1 ? "" : "s");
      pw.flush();
      ConditionalGenerator.Maps maps;
      try (Progress p = new Progress("predict", gen.totalSteps(hi, sampler, samples, tile,
          overlap), "step")) {
        long[] last = {0};
        maps = gen.generate(features, hi, sampler, samples, seed, tile, overlap, k -> {
          p.step(k - last[0]);
          last[0] = k;
        }, m);
      }
      if (brain != null) {
        maps = new ConditionalGenerator.Maps(zeroOutside(maps.mean(), brain.mask()),
            zeroOutside(maps.std(), brain.mask()), maps.samples());
      }
      write(scan, maps, brain, l, System.nanoTime() - start, pw);
    }
    return 0;
  }

  /**
   * The brain on the output grid: {@code --mask} on the scan's grid (resampled trilinearly and
   * thresholded at 0.5) or on the output grid, else median Otsu of the scan's mean b0 (as
   * {@code noddi fit} does), resampled the same way.
   */
  private Brain brainMask(Volume scanVolume, GradientTable table, Grid hi) throws IOException {
    Grid lo = scanVolume.grid();
    Volume low;
    String source;
    if (mask != null) {
      Volume m = NiftiReader.read(mask).volume();
      source = mask.toAbsolutePath().toString();
      if (m.grid().sameAs(hi)) {
        return new Brain(Mask.above(m, 0f), source);
      }
      if (!m.grid().sameAs(lo)) {
        throw new BadFileException(mask, "expected a mask on the scan's grid " + lo.shape()
            + " or on the output grid " + hi.shape() + ", found " + m.grid().shape()
            + " or a different affine");
      }
      low = Mask.above(m, 0f).toVolume();
    } else {
      int[] b0 = table.b0Indices();
      BadArgumentException.require(b0.length > 0, "automatic mask: expected at least one b0"
          + " volume, found none; pass --mask or --no-mask");
      low = BrainMask.medianOtsu(Volume.of(lo, ShellFeatures.meanB0(scanVolume, b0)), 2)
          .toVolume();
      source = "median Otsu of the scan's mean b0 (" + b0.length + " volumes)";
    }
    return new Brain(Mask.above(VolumeOps.resampleTrilinear(low, hi, 0f), 0.5f), source);
  }

  private static Volume zeroOutside(Volume v, Mask brain) {
    float[] out = v.data().clone();
    int n = brain.grid().size();
    for (int t = 0; t < v.nt(); t++) {
      for (int i = 0; i < n; i++) {
        if (!brain.contains(i)) {
          out[t * n + i] = 0f;
        }
      }
    }
    return new Volume(v.grid(), v.nt(), out);
  }

  private void write(NiftiImage scan, ConditionalGenerator.Maps maps, Brain brain,
      NoddiModel.Loaded l, long nanos, PrintWriter pw) throws IOException {
    Path noddi = Path.of(out + "_noddi.nii.gz");
    if (noddi.toAbsolutePath().getParent() != null) {
      Files.createDirectories(noddi.toAbsolutePath().getParent());
    }
    NiftiWriter.Options o = NiftiWriter.Options.defaults().withReference(scan.header())
        .withDescription("noddi predict");
    NiftiWriter.write(noddi, maps.mean(), o);
    for (int t = 0; t < 3; t++) {
      NiftiWriter.write(Path.of(out + "_" + MAPS[t] + ".nii.gz"), maps.mean().volume(t), o);
      if (samples > 1) {
        NiftiWriter.write(Path.of(out + "_" + MAPS[t] + "_std.nii.gz"), maps.std().volume(t), o);
      }
    }
    if (brain != null) {
      NiftiWriter.write(Path.of(out + "_mask.nii.gz"), brain.mask().toVolume(), o
          .withType(org.noddildm.core.io.NiftiDataType.UINT8));
    }
    JsonObject j = new JsonObject();
    j.addProperty("command", "noddi predict");
    j.addProperty("date", Instant.now().toString());
    j.addProperty("dwi", dwi.toAbsolutePath().toString());
    j.addProperty("bval", bval.toAbsolutePath().toString());
    j.addProperty("bvec", bvec.toAbsolutePath().toString());
    j.addProperty("sampler", "ddim");
    j.addProperty("steps", steps);
    j.addProperty("eta", eta);
    j.addProperty("samples", samples);
    j.addProperty("seed", seed);
    j.addProperty("tile", tile);
    j.addProperty("overlap", overlap);
    j.addProperty("mask", brain == null ? "none" : brain.source());
    j.addProperty("device", device);
    j.addProperty("seconds", nanos / 1e9);
    j.add("model", l.provenance());
    j.addProperty("modelSource", model == null ? "the pretrained model shipped in the jar"
        : model.toAbsolutePath().toString());
    Path sidecar = Path.of(out + "_prediction.json");
    AtomicFiles.writeString(sidecar, new GsonBuilder().setPrettyPrinting().create().toJson(j));
    pw.printf(Locale.ROOT, "wrote %s_{ndi,odi,fwf,noddi}.nii.gz%s and %s (%.1f s)%n", out,
        samples > 1 ? ", %s_{ndi,odi,fwf}_std.nii.gz".formatted(out) : "", sidecar,
        nanos / 1e9);
    pw.flush();
  }
}
