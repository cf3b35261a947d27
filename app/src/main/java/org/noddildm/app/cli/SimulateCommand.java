package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.output.DatasetOutputs;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.ProtocolVariation;
import org.noddildm.core.physics.anatomy.Variation;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.physics.degrade.AcquisitionVariation;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.KSpaceFilter;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.phantom.Anatomy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi simulate}: a paired dataset of digital brain phantoms. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a paired dataset: per subject a seeded digital brain phantom with"
        + " ground-truth NODDI maps (NDI, ODI, FWF) at high resolution and its short"
        + " low-resolution noisy DWI (NIfTI + FSL bval/bvec), plus dataset.json with every"
        + " parameter. The same seed gives byte-identical files.",
        "Example: noddi simulate --out data/train --subjects 20 --seed 1"})
public final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--subjects", defaultValue = "1", description = "Number of subjects"
      + " (default: ${DEFAULT-VALUE}).")
  int subjects;

  @Option(names = "--size", defaultValue = "64", paramLabel = "N|NXxNYxNZ",
      description = "High-resolution grid (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--voxel", defaultValue = "1.25", paramLabel = "MM",
      description = "High-resolution voxel size in mm (default: ${DEFAULT-VALUE}).")
  double voxel;

  @Option(names = "--protocol", defaultValue = "clinical", paramLabel = "P",
      description = "Protocol of the low-resolution scan: clinical, noddi, hcp or a list such"
          + " as 0x6,1000x30,2000x60 (b-value x count) (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--bval", paramLabel = "FILE", description = "Use this FSL b-value file"
      + " (with --bvec) as the scan's protocol instead of --protocol.")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE", description = "FSL b-vectors for --bval.")
  Path bvec;

  @Option(names = "--drawn-from", paramLabel = "P", description = "Draw the scan's directions"
      + " as a well spread subset of this full protocol (e.g. hcp) instead of generating them.")
  String drawnFrom;

  @Option(names = "--factor", defaultValue = "2", description = "Downsampling factor per axis"
      + " (default: ${DEFAULT-VALUE}).")
  int factor;

  @Option(names = "--snr", defaultValue = "30", description = "SNR of the white-matter b0"
      + " signal (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--noise", defaultValue = "rician", paramLabel = "MODEL",
      description = "rician, gaussian or none (default: ${DEFAULT-VALUE}).")
  String noise;

  @Option(names = "--kspace", description = "Downsample by k-space truncation instead of block"
      + " averaging.")
  boolean kspace;

  @Option(names = "--kspace-filter", defaultValue = "none", paramLabel = "SPEC",
      description = "With --kspace: the reconstruction's raw-data filter and partial Fourier,"
          + " none or apod=A,pf=P,axis=K (Tukey alpha 0-1, 1 = Hann; share of phase-encoding"
          + " lines 0.5-1, e.g. 6/8; phase-encoding voxel axis 0-2, default 1)"
          + " (default: ${DEFAULT-VALUE}).")
  String kspaceFilter;

  @Option(names = "--vary-acquisition", description = "Draw each subject's acquisition from its"
      + " seed instead of --kspace and --kspace-filter: block average or k-space truncation,"
      + " half each; k-space subjects get a Tukey filter and partial Fourier (7/8 or 6/8) half"
      + " of the time each; recorded in sub-*/subject.json.")
  boolean varyAcquisition;

  @Option(names = "--supersample", defaultValue = "2", description = "Partial-volume samples"
      + " per voxel axis in the phantom (default: ${DEFAULT-VALUE}).")
  int supersample;

  @Option(names = "--d-par", defaultValue = "1.7e-3", paramLabel = "MM2/S",
      description = "Intrinsic parallel diffusivity (default: ${DEFAULT-VALUE}).")
  double dPar;

  @Option(names = "--d-iso", defaultValue = "3.0e-3", paramLabel = "MM2/S",
      description = "Free-water diffusivity (default: ${DEFAULT-VALUE}).")
  double dIso;

  @Option(names = "--anatomy", defaultValue = "procedural", paramLabel = "A",
      description = "Anatomy of the subjects: procedural (the seeded synthetic phantom),"
          + " colin27 (the Colin27 template with atlases, varied per subject) or inia19 (a"
          + " macaque template at human size, held out: for benchmarks only, never train on"
          + " it). colin27 and inia19 need Debian's mricron-data package (default:"
          + " ${DEFAULT-VALUE}).")
  String anatomy;

  @Option(names = "--vary-protocol", description = "Draw each subject's scan from its seed"
      + " instead of --protocol and --snr: 1-10 b0, b=1000 and 2000 with 20-90 directions"
      + " each and per-volume b-value jitter, b0 SNR 15-40; recorded in sub-*/subject.json.")
  boolean varyProtocol;

  @Option(names = "--vary-anatomy", description = "With --anatomy colin27: draw each subject"
      + " from a wider prior than the default, for training: rotation up to 25 degrees, scale"
      + " 1 +- 0.15, warp sd 4.5 mm, 0-5 lesions, enlarged ventricles with probability 0.4, tissue"
      + " boundaries from somewhat wider to three times as sharp as the template's, and each"
      + " tissue's NDI and ODI ranges shifted by up to 0.08 and 0.10; recorded in"
      + " sub-*/subject.json and dataset.json.")
  boolean varyAnatomy;

  @Option(names = "--force", description = "Write into an existing dataset folder.")
  boolean force;

  @Option(names = "--timing", description = "Print each subject's time per stage (phantom,"
      + " high-resolution DWI, degradation, writing) for benchmarks.")
  boolean timing;

  @Mixin SeedOption seedOption = new SeedOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    int[] dims = parseSize(size);
    BadArgumentException.require((bval == null) == (bvec == null),
        "expected both --bval and --bvec or neither, found only one");
    BadArgumentException.require(bval == null || drawnFrom == null,
        "expected either --bval/--bvec or --drawn-from, found both");
    String scan = bval == null ? protocol : DatasetSpec.FILE_PREFIX
        + bval.toAbsolutePath() + "," + bvec.toAbsolutePath();
    DatasetSpec ds = new DatasetSpec(subjects, seedOption.get(), dims[0], dims[1], dims[2], voxel,
        supersample, scan, drawnFrom, new Degradation(factor, kspace,
            KSpaceFilter.parse(kspaceFilter), Noise.parse(noise), snr, 0),
        new Diffusivities(dPar, dIso), Anatomy.parse(anatomy),
        varyProtocol ? ProtocolVariation.defaults() : null,
        varyAcquisition ? AcquisitionVariation.defaults() : null,
        varyAnatomy ? Variation.wide() : null);
    DatasetOutputs.simulate(ds, out, force, timing, log);
    return 0;
  }

  /** "64" or "64x64x48". */
  static int[] parseSize(String s) {
    String[] parts = s.trim().toLowerCase(Locale.ROOT).split("x");
    try {
      if (parts.length == 1) {
        int n = Integer.parseInt(parts[0].trim());
        return new int[] {n, n, n};
      }
      if (parts.length == 3) {
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
            Integer.parseInt(parts[2].trim())};
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new BadArgumentException("--size: expected N or NXxNYxNZ (e.g. 64 or 64x64x48),"
        + " found '" + s + "'");
  }
}
