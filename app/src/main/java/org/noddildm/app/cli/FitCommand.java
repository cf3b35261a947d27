package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.DtiModel;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.fit.VoxelModel;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.io.NiftiHeader;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
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
  /** Largest number of DWI values held at once (1 GiB of floats). */
  private static final long SLAB_VALUES = 1L << 28;

  @Option(names = "--dwi", required = true, paramLabel = "FILE", description = "4D DWI (.nii/.nii.gz).")
  Path dwi;

  @Option(names = "--bval", paramLabel = "FILE",
      description = "FSL b-values (default: X.bval beside X.nii[.gz]).")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE",
      description = "FSL b-vectors (default: X.bvec beside X.nii[.gz]).")
  Path bvec;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask (non-zero inside); default: computed from the b0s (median Otsu).")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Output prefix.")
  String out;

  @Option(names = "--model", defaultValue = "noddi", description = "noddi or dti (default: ${DEFAULT-VALUE}).")
  ModelKind model;

  @Option(names = "--fill", defaultValue = "zero",
      description = "Value of voxels outside the mask or not fittable: zero or nan (default: ${DEFAULT-VALUE}).")
  VoxelMapper.Fill fill;

  @Option(names = "--estimator", defaultValue = "search",
      description = "NODDI: search (best atom, sub-grid) or amico (NNLS weight averages) (default: ${DEFAULT-VALUE}).")
  NoddiFitConfig.Estimator estimator;

  @Option(names = "--refine", description = "NODDI: polish each voxel with a nonlinear fit (about 100x slower).")
  boolean refine;

  @Option(names = "--directions", defaultValue = "1000",
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
      description = "Largest b-value (s/mm^2) of the tensor fit: default 1500 for --model dti;"
          + " for NODDI it sets the volumes of the fibre-direction fit (default: all shells).")
  Double dtiMaxB;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** Which model to fit. */
  public enum ModelKind { noddi, dti }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    long start = System.nanoTime();
    Path[] pair = GradientIO.fslPairFor(dwi, bval, bvec);
    bval = pair[0];
    bvec = pair[1];
    List<Path> outputs = new ArrayList<>();
    // every file either model may write (NODDI: ndi ... md; DTI: fa ... v1) and the mask
    for (String name : new String[] {"ndi", "odi", "fwf", "direction", "fa", "md", "ad", "rd",
        "s0", "v1", "mask"}) {
      outputs.add(outputPath(name + ".nii.gz"));
    }
    outputs.add(outputPath("fit.json"));
    OutputGuard.requireNoneIsInput(outputs, java.util.Arrays.asList(dwi, bval, bvec, mask));
    GradientTable table = GradientIO.readFsl(bval, bvec);
    for (String w : table.warnings()) {
      log.println("noddi fit: warning: " + w);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    try (NiftiReader reader = NiftiReader.open(dwi);
        OutputSet outs = OutputSet.begin(log::println)) {
      NiftiHeader header = reader.header();
      Grid grid = reader.grid();
      table.requireVolumes(reader.volumeCount());
      VoxelModel voxelModel = makeModel(table, settings);
      Mask brain = mask != null ? readMask(grid) : autoMask(reader, table, header, log, outs);
      if (mask != null) {
        outs.obsolete(outputPath("mask.nii.gz")); // an earlier run's automatic mask
      }
      if (brain.count() == 0) {
        throw new BadFileException(mask, "expected brain voxels to fit, found an empty mask;"
            + " nothing written");
      }
      log.printf(Locale.ROOT, "noddi fit: %s model, %s, %s grid, %d voxels in the mask%n",
          model, table.summary(), grid.shape(), brain.count());
      if (voxelModel instanceof NoddiModel nm) {
        nm.prepare();
      }
      List<float[]> maps = new ArrayList<>();
      for (VoxelModel.Output o : voxelModel.outputs()) {
        maps.add(new float[grid.size() * o.components()]);
      }
      VoxelMapper.Counts counts = fitSlabs(reader, grid, table, brain, voxelModel, maps);
      double seconds = (System.nanoTime() - start) / 1e9;
      log.println("noddi fit: " + counts.summary());
      if (counts.fitted() == 0 && counts.voxels() > counts.outside()) {
        throw new BadFileException(dwi, "expected voxels with a finite signal and a positive"
            + " b0 in the mask, found none (" + counts.summary() + "); nothing written");
      }
      List<String> written = new ArrayList<>();
      for (int o = 0; o < maps.size(); o++) {
        VoxelModel.Output output = voxelModel.outputs().get(o);
        Path file = outputPath(output.name() + ".nii.gz");
        NiftiWriter.write(outs.stage(file), new Volume(grid, output.components(), maps.get(o)),
            NiftiWriter.Options.defaults().withReference(header)
                .withDescription("noddi fit " + model + " " + output.name()));
        written.add(file.getFileName().toString());
      }
      Map<String, Object> sidecar = new LinkedHashMap<>();
      sidecar.put("tool", "noddi fit");
      sidecar.put("created", Instant.now().toString());
      sidecar.put("model", model.name());
      sidecar.put("inputs", Map.of("dwi", dwi.toString(), "bval", bval.toString(), "bvec",
          bvec.toString(), "mask", mask == null ? "automatic (median Otsu of the mean b0)"
              : mask.toString()));
      sidecar.put("gradients", table.summary());
      sidecar.put("grid", grid.shape());
      sidecar.put("settings", settings);
      sidecar.put("fill", fill.name().toLowerCase(Locale.ROOT));
      sidecar.put("counts", counts);
      sidecar.put("seconds", seconds);
      sidecar.put("voxelsPerSecond", counts.fitted() / Math.max(1e-9, seconds));
      Map<String, String> described = new LinkedHashMap<>();
      for (VoxelModel.Output o : voxelModel.outputs()) {
        described.put(o.name(), o.description());
      }
      sidecar.put("outputs", described);
      StrictJson.REPORT.write(outs.stage(outputPath("fit.json")), sidecar);
      outs.commit();
      log.printf(Locale.ROOT, "noddi fit: wrote %s and %s in %.1f s%n", String.join(", ",
          written), outputPath("fit.json").getFileName(), seconds);
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
        dtiMaxB == null ? Double.POSITIVE_INFINITY : dtiMaxB, estimator, minTissue, refine);
    settings.put("noddi", c);
    return new NoddiModel(table, c);
  }

  /** Fits slab by slab so that at most {@link #SLAB_VALUES} DWI values are in memory. */
  private VoxelMapper.Counts fitSlabs(NiftiReader reader, Grid grid, GradientTable table,
      Mask brain, VoxelModel voxelModel, List<float[]> maps) throws Exception {
    int plane = grid.nx() * grid.ny();
    int nt = reader.volumeCount();
    int slab = (int) Math.max(1, Math.min(grid.nz(), SLAB_VALUES / ((long) plane * nt)));
    VoxelMapper.Counts total = VoxelMapper.Counts.none();
    try (Progress bar = new Progress("fit " + model, brain.count(), "vox")) {
      for (int z0 = 0; z0 < grid.nz(); z0 += slab) {
        int z1 = Math.min(grid.nz(), z0 + slab);
        boolean[] inSlab = new boolean[plane * (z1 - z0)];
        boolean any = false;
        for (int i = 0; i < inSlab.length; i++) {
          inSlab[i] = brain.contains(z0 * plane + i);
          any |= inSlab[i];
        }
        if (!any) {
          fillSlab(maps, grid, voxelModel, z0, z1);
          total = total.plus(new VoxelMapper.Counts(inSlab.length, inSlab.length, 0, 0, 0, 0));
          continue;
        }
        Volume data = reader.readSlab(z0, z1);
        VoxelMapper.Result r = VoxelMapper.map(data, new Mask(data.grid(), inSlab),
            table.b0Indices(), voxelModel, fill, bar == null ? null : bar::step);
        total = total.plus(r.counts());
        for (int o = 0; o < maps.size(); o++) {
          Volume part = r.maps().get(o);
          int n = part.grid().size();
          for (int c = 0; c < part.nt(); c++) {
            System.arraycopy(part.data(), c * n, maps.get(o), c * grid.size() + z0 * plane, n);
          }
        }
      }
    }
    return total;
  }

  private void fillSlab(List<float[]> maps, Grid grid, VoxelModel m, int z0, int z1) {
    int plane = grid.nx() * grid.ny();
    for (int o = 0; o < maps.size(); o++) {
      for (int c = 0; c < m.outputs().get(o).components(); c++) {
        int base = c * grid.size();
        java.util.Arrays.fill(maps.get(o), base + z0 * plane, base + z1 * plane, fill.value());
      }
    }
  }

  private Mask readMask(Grid grid) throws Exception {
    Volume m = NiftiReader.read(mask).volume();
    BadArgumentException.require(m.grid().nx() == grid.nx() && m.grid().ny() == grid.ny()
        && m.grid().nz() == grid.nz(), "mask " + mask + ": expected the DWI grid "
        + grid.shape() + ", found " + m.grid().shape());
    if (!m.grid().affine().approxEquals(grid.affine(), 1e-3)) {
      spec.commandLine().getErr().println("noddi fit: warning: the mask's affine differs from"
          + " the DWI's; using it voxel by voxel");
    }
    boolean[] in = new boolean[grid.size()];
    for (int i = 0; i < in.length; i++) {
      float v = m.at(i, 0);
      in[i] = Float.isFinite(v) && v != 0;
    }
    return new Mask(grid, in);
  }

  private Mask autoMask(NiftiReader reader, GradientTable table, NiftiHeader header,
      PrintWriter log, OutputSet outs) throws Exception {
    int[] b0 = BrainMask.requireB0(table);
    Grid grid = reader.grid();
    float[] mean = new float[grid.size()];
    for (int t : b0) {
      Volume v = reader.readVolume(t);
      for (int i = 0; i < mean.length; i++) {
        mean[i] += v.at(i, 0) / b0.length;
      }
    }
    Mask m = BrainMask.automatic(Volume.of(grid, mean));
    if (m.count() == 0) {
      throw new BadFileException(dwi, "expected brain voxels to fit, found an empty automatic"
          + " mask (is the b0 all NaN or zero?); nothing written");
    }
    Path file = outputPath("mask.nii.gz");
    NiftiWriter.write(outs.stage(file), m.toVolume(), NiftiWriter.Options.defaults()
        .withReference(header)
        .withType(org.noddildm.core.io.NiftiDataType.UINT8)
        .withDescription("noddi fit automatic brain mask"));
    log.printf(Locale.ROOT, "noddi fit: automatic mask (median Otsu of %d b0s): %d voxels -> %s%n",
        b0.length, m.count(), file);
    return m;
  }

  /** PREFIX_name, or DIR/name when the prefix ends with a separator or is a directory. */
  Path outputPath(String name) {
    if (out.endsWith("/") || out.endsWith(java.io.File.separator)
        || Files.isDirectory(Path.of(out))) {
      return Path.of(out).resolve(name);
    }
    return Path.of(out + "_" + name);
  }
}
