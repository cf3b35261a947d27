package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.noddildm.model.pipeline.TrainSettings;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.vqgan.VqganConfig;
import picocli.CommandLine;

class RecordDefaultsTest {
  @Test
  void trainVqganDefaultsAreThoseOfTheConfigRecords() {
    TrainVqganCommand cmd = new TrainVqganCommand();
    new CommandLine(cmd).parseArgs("--data", "d", "--target", "noddi", "--out", "o");
    VqganConfig c = VqganConfig.defaults(3);
    TrainConfig t = TrainConfig.defaults();
    assertEquals(List.of(t.steps(), t.batch(), t.crop(), t.checkpointEvery(), t.validateEvery()),
        List.of(cmd.steps, cmd.batch, cmd.crop, cmd.checkpointEvery, cmd.validateEvery));
    assertEquals(t.lr(), cmd.lr);
    assertEquals(c.seed(), cmd.seed);
    assertEquals(List.of(c.baseWidth(), c.downFactor(), c.latentDim(), c.codebookSize(),
        c.codeGroups(), c.discStart()), List.of(cmd.width, cmd.downFactor, cmd.latentDim,
        cmd.codebook, cmd.codeGroups, cmd.discStart));
    assertEquals("cpu", cmd.deviceOption.get(),
        "an option the records do not hold keeps its own default");
    new CommandLine(cmd).parseArgs("--data", "d", "--target", "noddi", "--out", "o",
        "--codebook", "64");
    assertEquals(64, cmd.codebook, "a given option wins");
  }

  @Test
  void trainRefinerDefaultsAreThoseOfTheConfigRecords() {
    TrainRefinerCommand cmd = new TrainRefinerCommand();
    new CommandLine(cmd).parseArgs("--data", "d", "--out", "o");
    RefinerConfig c = RefinerConfig.defaults();
    RefinerTrainConfig t = RefinerTrainConfig.defaults();
    assertEquals(List.of(t.steps(), t.batch(), c.width(), c.blocks(), t.checkpointEvery()),
        List.of(cmd.steps, cmd.batch, cmd.width, cmd.blocks, cmd.every));
    assertEquals(t.lr(), cmd.lr);
    assertEquals(t.seed(), cmd.seed);
    assertEquals(1, cmd.holdOut);
  }

  @Test
  void trainDefaultsAreTheShippedModelsSettings() {
    TrainCommand cmd = new TrainCommand();
    new CommandLine(cmd).parseArgs("--data", "d", "--out", "o");
    TrainSettings t = TrainSettings.shipped();
    assertEquals(List.of(t.holdOut(), t.stepsVqgan(), t.finetuneVqgan(), t.widthVqgan(),
        t.downFactor(), t.latentDim(), t.codebook(), t.codeGroups(), t.crop(), t.batchVqgan(),
        t.stepsRefiner(), t.widthRefiner(), t.blocks(), t.cropRefiner(), t.stepsLdm(),
        t.finetuneLdm(), t.widthLdm(), t.latentCrop(), t.batchLdm(), t.validateSteps()),
        List.of(cmd.holdOut, cmd.stepsVqgan, cmd.finetuneVqgan, cmd.widthVqgan, cmd.downFactor,
            cmd.latentDim, cmd.codebook, cmd.codeGroups, cmd.crop, cmd.batchVqgan,
            cmd.stepsRefiner, cmd.widthRefiner, cmd.blocks, cmd.cropRefiner, cmd.stepsLdm,
            cmd.finetuneLdm, cmd.widthLdm, cmd.latentCrop, cmd.batchLdm, cmd.validateSteps));
    assertEquals(List.of(t.lr(), t.lrRefiner(), t.gradientWeight(), t.lrLdm(), t.finetuneLr(),
        t.ema()), List.of(cmd.lr, cmd.lrRefiner, cmd.gradientWeight, cmd.lrLdm, cmd.finetuneLr,
        cmd.ema));
    assertEquals(t.seed(), cmd.seed);
    assertEquals(List.of(2000, 600, 3000, 4000), List.of(cmd.stepsVqgan, cmd.finetuneVqgan,
        cmd.stepsRefiner, cmd.stepsLdm), "the shipped model's schedule");
  }
}
