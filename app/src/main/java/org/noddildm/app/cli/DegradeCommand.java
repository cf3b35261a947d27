package org.noddildm.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiHeader;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.DirectionSubset;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.KSpaceFilter;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.degrade.RealDwiDegrader;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.VolumeOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi degrade}: a short low-resolution scan from a real high-resolution DWI. */
@Command(name = "degrade", mixinStandardHelpOptions = true,
    description = {"Turn a real high-resolution DWI into the short low-resolution scan a"
        + " clinical protocol would give: keep well spread directions, downsample by an integer"
        + " factor (same field of view, so it overlays the input) and add noise. Writes"
        + " dwi_lowres.nii.gz/.bval/.bvec, mask_lowres.nii.gz and degrade.json into --out.",
        "Example: noddi degrade --dwi dwi.nii.gz --bval dwi.bval --bvec dwi.bvec --factor 2"
            + " --directions 30 --shells 1000,2000 --snr 20 --out lowres/"})
public final class DegradeCommand implements Callable<Integer> {
  @Option(names = "--dwi", required = true, paramLabel = "FILE", description = "4D DWI NIfTI.")
  Path dwi;

  @Option(names = "--bval", required = true, paramLabel = "FILE", description = "FSL b-values.")
  Path bval;

  @Option(names = "--bvec", required = true, paramLabel = "FILE", description = "FSL b-vectors.")
  Path bvec;

  @Option(names = "--mask", paramLabel = "FILE", description = "High-resolution brain mask to"
      + " downsample (default: a rough mask from the b0 signal).")
  Path mask;

  @Option(names = "--factor", defaultValue = "2", description = "Downsampling factor per axis"
      + " (default: ${DEFAULT-VALUE}).")
  int factor;

  @Option(names = "--directions", paramLabel = "N", description = "Well spread directions kept"
      + " per shell (default: all).")
  Integer directions;

  @Option(names = "--shells", split = ",", paramLabel = "B", description = "b-values of the"
      + " shells to keep (default: all).")
  double[] shells;

  @Option(names = "--b0", paramLabel = "N", description = "b0 volumes kept (default: all).")
  Integer b0;

  @Option(names = "--snr", defaultValue = "30", description = "SNR of the added noise relative"
      + " to the median brain b0 signal (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--noise", defaultValue = "rician", paramLabel = "MODEL",
      description = "rician, gaussian or none (default: ${DEFAULT-VALUE}).")
  String noise;

  @Option(names = "--kspace", description = "k-space truncation instead of block averaging.")
  boolean kspace;

  @Option(names = "--kspace-filter", defaultValue = "none", paramLabel = "SPEC",
      description = "With --kspace: the reconstruction's raw-data filter and partial Fourier,"
          + " none or apod=A,pf=P,axis=K (Tukey alpha 0-1, 1 = Hann; share of phase-encoding"
          + " lines 0.5-1, e.g. 6/8; phase-encoding voxel axis 0-2, default 1)"
          + " (default: ${DEFAULT-VALUE}).")
  String kspaceFilter;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Mixin SeedOption seedOption = new SeedOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    OutputGuard.requireNoneIsInput(List.of(out.resolve(PairedDataset.DWI),
        out.resolve(PairedDataset.BVAL), out.resolve(PairedDataset.BVEC),
        out.resolve(PairedDataset.MASK_LOWRES), out.resolve("degrade.json")),
        java.util.Arrays.asList(dwi, bval, bvec, mask));
    GradientTable table = GradientIO.readFsl(bval, bvec);
    for (String w : table.warnings()) {
      log.println("noddi: warning: " + w);
    }
    int[] keep = null;
    if (directions != null || shells != null || b0 != null) {
      keep = DirectionSubset.select(table, directions == null ? Integer.MAX_VALUE : directions,
          shells, b0 == null ? Integer.MAX_VALUE : b0);
    }
    Degradation d = new Degradation(factor, kspace, KSpaceFilter.parse(kspaceFilter),
        Noise.parse(noise), snr, seedOption.get());
    RealDwiDegrader.Result r;
    NiftiHeader header;
    Grid grid;
    try (NiftiReader reader = NiftiReader.open(dwi)) {
      header = reader.header();
      grid = reader.grid();
      table.requireVolumes(reader.volumeCount());
      r = RealDwiDegrader.degrade(reader, table, keep, d);
    }
    Mask lowMask = r.mask();
    if (mask != null) {
      Mask hi = Mask.above(NiftiReader.read(mask).volume(), 0.5f);
      BadArgumentException.require(hi.grid().sameAs(grid), "--mask: expected the DWI's grid "
          + grid.shape() + ", found " + hi.grid().shape());
      int[] c = r.croppedSize();
      lowMask = d.lowMask(Mask.above(
          VolumeOps.cropOrPad(hi.toVolume(), 0, 0, 0, c[0], c[1], c[2], 0), 0.5f));
    }
    NiftiWriter.Options opts = NiftiWriter.Options.defaults().withReference(header)
        .withType(NiftiDataType.FLOAT32).withDescription("noddi degrade " + d.summary());
    try (OutputSet outs = OutputSet.begin(log::println)) {
      NiftiWriter.write(outs.stage(out.resolve(PairedDataset.DWI)), r.dwi(), opts);
      GradientIO.writeFsl(r.table(), outs.stage(out.resolve(PairedDataset.BVAL)),
          outs.stage(out.resolve(PairedDataset.BVEC)));
      NiftiWriter.write(outs.stage(out.resolve(PairedDataset.MASK_LOWRES)), lowMask.toVolume(),
          NiftiWriter.Options.defaults().withType(NiftiDataType.UINT8));
      StrictJson.REPORT.write(outs.stage(out.resolve("degrade.json")), degradeJson(d, r, table));
      outs.commit();
    }
    if (r.croppedSize()[0] != grid.nx() || r.croppedSize()[1] != grid.ny()
        || r.croppedSize()[2] != grid.nz()) {
      log.printf(Locale.ROOT, "noddi: note: cropped %s to %d x %d x %d (a multiple of %d)%n",
          grid.shape(), r.croppedSize()[0], r.croppedSize()[1], r.croppedSize()[2], factor);
    }
    log.printf(Locale.ROOT, "%s -> %s: %s, %s, %s%n", grid.shape(),
        r.dwi().grid().shape(), r.table().summary(), d.summary(),
        String.format(Locale.ROOT, "reference b0 %.4g", r.s0Reference()));
    log.flush();
    return 0;
  }

  /** The degrade.json sidecar: the input, the settings and what was kept. */
  private JsonObject degradeJson(Degradation d, RealDwiDegrader.Result r, GradientTable table) {
    JsonObject o = new JsonObject();
    o.addProperty("software", BuildInfo.current().software());
    o.addProperty("input", dwi.toString());
    o.addProperty("factor", factor);
    o.addProperty("resampling", kspace ? "kspace" : "block");
    if (!d.filter().isNone()) {
      o.addProperty("kspace_filter", d.filter().describe());
    }
    o.addProperty("noise", noise.toLowerCase(Locale.ROOT));
    o.addProperty("snr", snr);
    o.addProperty("seed", seedOption.get());
    o.addProperty("s0_reference", r.s0Reference());
    o.addProperty("input_table", table.summary());
    o.addProperty("output_table", r.table().summary());
    JsonArray kept = new JsonArray();
    Arrays.stream(r.kept()).forEach(kept::add);
    o.add("kept_volumes", kept);
    return o;
  }
}
