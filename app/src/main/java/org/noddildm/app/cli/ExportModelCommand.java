package org.noddildm.app.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.model.bundle.ShippedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code noddi dev export-model}: the inference-only copy of a trained model (no optimizer state,
 * no discriminator, the diffusion model's EMA weights), small enough to share or to ship as the
 * pretrained model in model/src/main/resources/org/noddildm/model/shipped/.
 */
@Command(name = "export-model", mixinStandardHelpOptions = true,
    description = "Write the inference-only copy of a trained model (noddi train or train-ldm):"
        + " the weights sampling needs and each part's model.json, with a files.txt index.")
public final class ExportModelCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Trained model directory (noddi train --out, or a train-ldm directory).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "New folder for the exported model.")
  Path out;

  @Option(names = "--refiner", paramLabel = "DIR",
      description = "A trained refiner (noddi train-refiner) to ship with the model; predict"
          + " then uses it by default.")
  Path refiner;

  @Option(names = "--note", paramLabel = "TEXT",
      description = "A line of provenance to store in the model.json (how it was trained).")
  String note;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    JsonObject prov = new JsonObject();
    prov.addProperty("exportedFrom", String.valueOf(model.toAbsolutePath().normalize()
        .getFileName()));
    prov.addProperty("date", Instant.now().toString());
    if (note != null) {
      prov.addProperty("note", note);
    }
    long bytes = ShippedModel.export(model, refiner, out, prov);
    o.printf(Locale.ROOT, "wrote %s (%.2f MiB): noddi predict --model %s ...%n", out,
        bytes / 1048576.0, out);
    o.flush();
    return 0;
  }
}
