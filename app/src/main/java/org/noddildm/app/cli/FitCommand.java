package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.app.output.FitOutputs;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.fit.DtiModel;
import org.noddildm.core.fit.Fitter;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.fit.VoxelModel;
import org.noddildm.core.io.MifReader;
import org.noddildm.core.io.NiftiHeader;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi fit}: NODDI (dictionary fit, AMICO-style) or DTI maps of a DWI, written on the
 * input grid with its affine, plus a JSON sidecar with the settings and voxel counts. The DWI is
 * read in slabs of slices, so memory stays bounded for large scans.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fit NODDI (NDI, ODI, FWF, direction) or DTI (FA, MD, AD, RD, V1) maps to a"
        + " diffusion MRI scan.",
        "Outputs PREFIX_<map>.nii.gz (or DIR/<map>.nii.gz when PREFIX ends in /), "
        + "PREFIX_fit.json and, when no --mask is given, the automatic PREFIX_mask.nii.gz."})
public final class FitCommand implements Callable<Integer> {
  @Option(names = "--dwi", required = true, paramLabel = "FILE", description = "4D DWI (.nii/.nii.gz).")
  Path dwi;

  @Mixin GradientOptions gradients;

  /** The gradient files (FSL pair, MRtrix table or none), resolved in {@code call}. */
  private List<Path> gradientFiles;
  private Path bval;
  private Path bvec;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask (non-zero inside); default: computed from the b0s (median Otsu).")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Output prefix.")
  String out;

  @Option(names = "--signal-model", defaultValue = "noddi", paramLabel = "noddi|dti",
      description = "The signal model to fit: noddi or dti (default: ${DEFAULT-VALUE}).")
  ModelKind model;

  @Option(names = "--fill", defaultValue = "zero",
      description = "Value of voxels outside the mask or not fittable: zero or nan (default: ${DEFAULT-VALUE}).")
  VoxelMapper.Fill fill;

  @Option(names = "--estimator", defaultValue = "search",
      description = "NODDI: search (best atom, sub-grid) or amico (NNLS weight averages) (default: ${DEFAULT-VALUE}).")
  NoddiFitConfig.Estimator estimator;

  @Option(names = "--polish", description = "NODDI: polish each voxel with a nonlinear fit"
      + " (Nelder-Mead from the dictionary's best atom; about 100x slower).")
  boolean polish;

  @Option(names = "--dictionary-directions", defaultValue = "1000",
      description = "NODDI: dictionary fibre directions on the hemisphere (default: ${DEFAULT-VALUE}).")
  int directions;

  @Option(names = "--lambda1", defaultValue = "0", description = "NODDI amico: L1 penalty (default: ${DEFAULT-VALUE}).")
  double lambda1;

  @Option(names = "--lambda2", defaultValue = "0",
      description = "NODDI: ridge penalty relative to the mean atom norm^2 (AMICO uses 1e-3) (default: ${DEFAULT-VALUE}).")
  double lambda2;

  @Option(names = "--min-tissue", defaultValue = "0.05",
      description = "NODDI: below this tissue fraction (1 - FWF), NDI, ODI and the direction are reported as 0 (default: ${DEFAULT-VALUE}).")
  double minTissue;

  @Option(names = "--dti-max-b", paramLabel = "B",
      description = "Largest b-value (s/mm^2) of the tensor fit: default 1500 for --signal-model dti;"
          + " for NODDI it sets the volumes of the fibre-direction fit (default: all shells).")
  Double dtiMaxB;

  @Option(names = "--force", description = "Replace the outputs of an earlier run (without it,"
      + " an existing output file is an error).")
  boolean force;

  @Mixin ThreadOptions threads = new ThreadOptions();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Which model to fit. */
  public enum ModelKind { noddi, dti }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    long start = System.nanoTime();
    gradientFiles = gradients.files(dwi);
    bval = gradientFiles.size() == 2 ? gradientFiles.get(0) : null;
    bvec = gradientFiles.size() == 2 ? gradientFiles.get(1) : null;
    List<Path> outputs = new ArrayList<>();
    // every file either model may write (NODDI: ndi ... md; DTI: fa ... v1) and the mask
    for (String name : new String[] {"ndi", "odi", "fwf", "direction", "fa", "md", "ad", "rd",
        "s0", "v1", "mask"}) {
      outputs.add(FitOutputs.outputPath(out, name + ".nii.gz"));
    }
    outputs.add(FitOutputs.outputPath(out, "fit.json"));
    List<Path> inputs = new ArrayList<>(gradientFiles);
    inputs.add(dwi);
    inputs.add(mask);
    OutputGuard.requireNoneIsInput(outputs, inputs);
    OutputGuard.requireNewUnlessForced(outputs, force);
    threads.nthreads(); // checked before any work
    return threads.run(() -> fit(log, start));
  }

  /** Reads, fits and writes, in the pool of --nthreads threads. */
  private int fit(PrintWriter log, long start) throws Exception {
    // an MRtrix image is read whole and fitted through a temporary NIfTI (the fit streams slabs)
    Path scan = dwi;
    Path scratch = null;
    double[][] scheme = null;
    if (MifReader.isMif(dwi)) {
      MifReader.MifImage m = MifReader.read(dwi);
      scheme = m.dwScheme();
      scratch = Files.createTempDirectory("noddi-fit-mif");
      scan = scratch.resolve("scan.nii");
      NiftiWriter.write(scan, m.image().volume(), NiftiWriter.Options.defaults()
          .withReference(m.image().header()));
    }
    try {
      return fitScan(scan, scheme, log, start);
    } finally {
      if (scratch != null) {
        Files.deleteIfExists(scan);
        Files.deleteIfExists(scratch);
      }
    }
  }

  private int fitScan(Path scan, double[][] scheme, PrintWriter log, long start)
      throws Exception {
    Map<String, Object> settings = new LinkedHashMap<>();
    try (NiftiReader reader = NiftiReader.open(scan);
        OutputSet outs = OutputSet.begin(log::println)) {
      NiftiHeader header = reader.header();
      Grid grid = reader.grid();
      GradientTable table = gradients.table(dwi, gradientFiles, grid.affine(), scheme);
      for (String w : table.warnings()) {
        log.println("noddi fit: warning: " + w);
      }
      table.requireVolumes(reader.volumeCount());
      VoxelModel voxelModel = makeModel(table, settings);
      Mask brain = mask != null ? BrainMasks.read(mask, "the DWI grid", grid)
          : autoMask(reader, table, header, log, outs);
      if (mask != null) {
        outs.obsolete(FitOutputs.outputPath(out, "mask.nii.gz")); // an earlier run's automatic mask
      }
      if (brain.count() == 0) {
        throw new BadFileException(mask, "expected brain voxels to fit, found an empty mask;"
            + " nothing written");
      }
      FitOutputs.fitAndStage(reader, table, brain, model.name(), voxelModel, settings, fill, outs,
          out, new FitOutputs.Inputs(dwi, bval, bvec, mask, GradientOptions.source(dwi,
              gradientFiles)), start, log);
      outs.commit();
    }
    log.flush();
    return 0;
  }

  private VoxelModel makeModel(GradientTable table, Map<String, Object> settings) {
    if (model == ModelKind.dti) {
      DtiModel.Config c = new DtiModel.Config(dtiMaxB == null ? 1500 : dtiMaxB, 1);
      settings.put("dti", c);
      return new DtiModel(table, c);
    }
    NoddiFitConfig c = new NoddiFitConfig(NoddiFitConfig.defaults().odiGrid(),
        NoddiFitConfig.defaults().vicGrid(), 1.7e-3, 3.0e-3, lambda1, lambda2, directions,
        dtiMaxB == null ? Double.POSITIVE_INFINITY : dtiMaxB, estimator, minTissue, polish);
    settings.put("noddi", c);
    return new NoddiModel(table, c);
  }

  private Mask autoMask(NiftiReader reader, GradientTable table, NiftiHeader header,
      PrintWriter log, OutputSet outs) throws Exception {
    Mask m = Fitter.automaticMask(reader, table);
    if (m.count() == 0) {
      throw new BadFileException(dwi, "expected brain voxels to fit, found an empty automatic"
          + " mask (is the b0 all NaN or zero?); nothing written");
    }
    Path file = FitOutputs.outputPath(out, "mask.nii.gz");
    NiftiWriter.write(outs.stage(file), m.toVolume(), NiftiWriter.Options.defaults()
        .withReference(header)
        .withType(org.noddildm.core.io.NiftiDataType.UINT8)
        .withDescription("noddi fit automatic brain mask"));
    log.printf(Locale.ROOT, "noddi fit: automatic mask (median Otsu of %d b0s): %d voxels -> %s%n",
        BrainMask.requireB0(table).length, m.count(), file);
    return m;
  }
}
