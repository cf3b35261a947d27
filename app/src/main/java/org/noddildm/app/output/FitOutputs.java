package org.noddildm.app.output;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.noddildm.app.console.Progress;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.Fitter;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.fit.VoxelModel;
import org.noddildm.core.io.NiftiHeader;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Mask;

/**
 * What {@code noddi fit} writes for one scan: the fit staged slab by slab and its maps with the
 * JSON sidecar; the demo's classic baseline writes through it too.
 */
public final class FitOutputs {
  private FitOutputs() {}

  /**
   * Fits {@code voxelModel} in {@code brain} with a progress bar and stages its maps and sidecar
   * at {@code prefix} into {@code outs} ({@link #writeOutputs}), saying what it fits on
   * {@code log}.
   */
  public static void fitAndStage(NiftiReader reader, GradientTable table, Mask brain,
      String modelName, VoxelModel voxelModel, Map<String, Object> settings, VoxelMapper.Fill fill,
      OutputSet outs, String prefix, Inputs in, long startNanos, PrintWriter log)
      throws java.io.IOException {
    log.printf(Locale.ROOT, "noddi fit: %s model, %s, %s grid, %d voxels in the mask%n",
        modelName, table.summary(), reader.grid().shape(), brain.count());
    VoxelMapper.Result result;
    try (Progress bar = new Progress("fit " + modelName, brain.count(), "vox")) {
      result = Fitter.fit(reader, table, brain, voxelModel, fill, bar::step);
    }
    writeOutputs(outs, prefix, reader.header(), modelName, voxelModel, result, table, in,
        settings, fill, startNanos, log);
  }

  /** The files a fit was made from; {@code mask} is null for the automatic mask. */
  public record Inputs(Path dwi, Path bval, Path bvec, Path mask, String gradients) {}

  /**
   * Stages the maps of a fit and its sidecar ({@code PREFIX_fit.json}) into {@code outs}, each
   * map with the scan's header, and logs what was fitted; a fit of no voxel is refused.
   */
  public static void writeOutputs(OutputSet outs, String prefix, NiftiHeader header,
      String modelName, VoxelModel voxelModel, VoxelMapper.Result result, GradientTable table,
      Inputs in, Map<String, Object> settings, VoxelMapper.Fill fill, long startNanos, PrintWriter log)
      throws java.io.IOException {
    VoxelMapper.Counts counts = result.counts();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    log.println("noddi fit: " + counts.summary());
    if (counts.fitted() == 0 && counts.voxels() > counts.outside()) {
      throw new BadFileException(in.dwi(), "expected voxels with a finite signal and a positive"
          + " b0 in the mask, found none (" + counts.summary() + "); nothing written");
    }
    List<String> written = new ArrayList<>();
    for (int o = 0; o < result.maps().size(); o++) {
      VoxelModel.Output output = voxelModel.outputs().get(o);
      Path file = outputPath(prefix, output.name() + ".nii.gz");
      NiftiWriter.write(outs.stage(file), result.maps().get(o),
          NiftiWriter.Options.defaults().withReference(header)
              .withDescription("noddi fit " + modelName + " " + output.name()));
      written.add(file.getFileName().toString());
    }
    Map<String, Object> sidecar = new LinkedHashMap<>();
    sidecar.put("tool", "noddi fit");
    sidecar.put("created", Instant.now().toString());
    sidecar.put("model", modelName);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("dwi", in.dwi().toString());
    if (in.bval() != null) {
      inputs.put("bval", in.bval().toString());
      inputs.put("bvec", in.bvec().toString());
    }
    inputs.put("gradients", in.gradients());
    inputs.put("mask", in.mask() == null ? "automatic (median Otsu of the mean b0)"
        : in.mask().toString());
    sidecar.put("inputs", inputs);
    sidecar.put("gradients", table.summary());
    sidecar.put("grid", result.maps().get(0).grid().shape());
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
    StrictJson.REPORT.write(outs.stage(outputPath(prefix, "fit.json")), sidecar);
    log.printf(Locale.ROOT, "noddi fit: wrote %s and %s in %.1f s%n", String.join(", ",
        written), outputPath(prefix, "fit.json").getFileName(), seconds);
  }

  /** PREFIX_name, or DIR/name when the prefix ends with a separator or is a directory. */
  public static Path outputPath(String prefix, String name) {
    if (prefix.endsWith("/") || prefix.endsWith(java.io.File.separator)
        || Files.isDirectory(Path.of(prefix))) {
      return Path.of(prefix).resolve(name);
    }
    return Path.of(prefix + "_" + name);
  }
}
