package org.noddildm.app.output;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.app.console.Progress;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.dataset.DatasetSimulator;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.physics.dataset.PairedDataset;

/**
 * What {@code noddi simulate} writes: a paired dataset made subject by subject (in parallel, all
 * or nothing) with its dataset.json; the demo makes its subject through it too.
 */
public final class DatasetOutputs {
  private DatasetOutputs() {}

  /**
   * Simulates the dataset {@code ds} into {@code out} (the paired-dataset layout), with a
   * progress bar and a summary on {@code log}; an existing dataset there is overwritten only
   * when {@code force}.
   */
  public static void simulate(DatasetSpec ds, Path out, boolean force, boolean timing,
      PrintWriter log) throws java.io.IOException {
    BadArgumentException.require(force || !Files.exists(out.resolve(PairedDataset.JSON)),
        "--out " + out + ": expected a new folder, found an existing dataset (use --force to"
            + " overwrite it)");
    GradientTable table = DatasetSimulator.scanTable(ds);
    log.printf(Locale.ROOT, "simulating %d %s subject(s): %d x %d x %d at %.4g mm -> factor %d,"
        + " scan %s, %s%n", ds.subjects(), ds.anatomy().id(), ds.nx(), ds.ny(), ds.nz(),
        ds.voxel(), ds.degradation().factor(), ds.varyProtocol() != null
            ? ds.varyProtocol().describe() : table.summary(), ds.varyAcquisition() != null
            ? ds.varyAcquisition().describe() : ds.degradation().summary());
    if (ds.anatomy().heldOut()) {
      log.printf("%s is a held-out anatomy: use this dataset for benchmarks only, never for"
          + " training%n", ds.anatomy().id());
    }
    log.flush();
    List<String> names = new ArrayList<>();
    long start = System.nanoTime();
    try (Progress bar = new Progress("simulate", ds.subjects(), "subj")) {
      for (int k = 1; k <= ds.subjects(); k++) {
        long t0 = System.nanoTime();
        DatasetSimulator.Subject s = DatasetSimulator.simulate(ds, k, table);
        long tw = System.nanoTime();
        DatasetSimulator.write(out.resolve(s.name()), s);
        names.add(s.name());
        if (timing) {
          log.printf(Locale.ROOT, "%s: phantom %.2f s, DWI %d volumes %.2f s, degrade %.2f s,"
              + " write %.2f s, total %.2f s%n", s.name(), s.seconds()[0], s.table().size(),
              s.seconds()[1], s.seconds()[2], (System.nanoTime() - tw) / 1e9,
              (System.nanoTime() - t0) / 1e9);
          log.flush();
        }
        bar.status(String.format(Locale.ROOT, "%s %.1f s", s.name(),
            (System.nanoTime() - t0) / 1e9));
        bar.step(1);
      }
    }
    PairedDataset.writeJson(out, ds, names, table, BuildInfo.current().software());
    log.printf(Locale.ROOT, "wrote %s (%d subjects, %.1f s per subject)%n", out, ds.subjects(),
        (System.nanoTime() - start) / 1e9 / ds.subjects());
    log.flush();
  }
}
