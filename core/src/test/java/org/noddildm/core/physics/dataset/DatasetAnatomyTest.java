package org.noddildm.core.physics.dataset;

import org.noddildm.core.physics.ProtocolVariation;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.Phantom;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.physics.anatomy.AnatomicalPhantom;
import org.noddildm.core.physics.anatomy.TemplateFiles;
import org.noddildm.core.physics.anatomy.Variation;

/** The anatomy and per-subject protocol options of a paired dataset. */
class DatasetAnatomyTest {
  @Test
  void anOldDatasetJsonWithoutAnAnatomyReadsAsProcedural(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve(PairedDataset.JSON), "{\"format\": \"" + PairedDataset.FORMAT
        + "\", \"phantom\": {\"size\": [16, 16, 16]}, \"subjects\": []}");
    assertEquals(Anatomy.PROCEDURAL, PairedDataset.open(tmp).anatomy());
  }

  @Test
  void aDatasetOfTheHeldOutAnatomyOrWithoutSubjectsIsRefusedForTraining(@TempDir Path tmp)
      throws Exception {
    Path held = Files.createDirectories(tmp.resolve("inia"));
    Files.writeString(held.resolve(PairedDataset.JSON), "{\"format\": \"" + PairedDataset.FORMAT
        + "\", \"phantom\": {\"anatomy\": \"inia19\"}, \"subjects\": []}");
    assertEquals(Anatomy.INIA19, PairedDataset.open(held).anatomy()); // benchmarks may read it
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> PairedDataset.openForTraining(held));
    assertTrue(e.getMessage().contains("held-out anatomy inia19"), e.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve(PairedDataset.JSON), "{\"format\": \"" + PairedDataset.FORMAT
        + "\", \"subjects\": []}");
    BadFileException none = assertThrows(BadFileException.class,
        () -> PairedDataset.openForTraining(empty));
    assertTrue(none.getMessage().contains("found an empty list"), none.getMessage());
    assertThrows(BadFileException.class, () -> PairedDataset.openForTraining(tmp.resolve("no")));
  }

  @Test
  void aTrainingDatasetOpensWithItsSubjects(@TempDir Path tmp) throws Exception {
    PairedDatasetTest.make(tmp, PairedDatasetTest.tiny(2));
    assertEquals(java.util.List.of("sub-0001", "sub-0002"),
        PairedDataset.openForTraining(tmp).subjects());
  }

  @Test
  void aProceduralDatasetRecordsItsAnatomyAndWritesNoSubjectJson(@TempDir Path tmp)
      throws Exception {
    PairedDatasetTest.make(tmp, PairedDatasetTest.tiny(3));
    assertEquals(Anatomy.PROCEDURAL, PairedDataset.open(tmp).anatomy());
    assertFalse(Files.exists(tmp.resolve("sub-0001").resolve(DatasetSimulator.SUBJECT_JSON)));
  }

  @Test
  void variedProtocolsDifferPerSubjectAndAreRecorded(@TempDir Path tmp) throws Exception {
    DatasetSpec spec = PairedDatasetTest.tiny(3).withVaryProtocol(ProtocolVariation.defaults());
    PairedDatasetTest.make(tmp, spec);
    PairedDataset ds = PairedDataset.open(tmp);
    assertFalse(ds.table("sub-0001").summary().equals(ds.table("sub-0002").summary()));
    assertEquals(ds.table("sub-0002").size(), ds.lowResDwi("sub-0002").nt());
    String info = Files.readString(tmp.resolve("sub-0001").resolve(DatasetSimulator.SUBJECT_JSON));
    assertTrue(info.contains("\"snr\"") && info.contains("\"protocol\""), info);
    assertTrue(Files.readString(tmp.resolve(PairedDataset.JSON)).contains("varied_per_subject"));
  }

  @Test
  void aColinDatasetRecordsItsAnatomyAndEachSubjectsPose(@TempDir Path tmp) throws Exception {
    assumeTrue(TemplateFiles.available(Anatomy.COLIN27), "mricron-data not installed");
    DatasetSpec spec = PairedDatasetTest.tiny(3).withAnatomy(Anatomy.COLIN27);
    PairedDatasetTest.make(tmp, spec);
    assertEquals(Anatomy.COLIN27, PairedDataset.open(tmp).anatomy());
    String info = Files.readString(tmp.resolve("sub-0001").resolve(DatasetSimulator.SUBJECT_JSON));
    assertTrue(info.contains("\"rotation_deg\"") && info.contains("colin27"), info);
    Phantom expected = AnatomicalPhantom.generate(Anatomy.COLIN27, spec.phantom(2),
        Variation.defaults()).phantom();
    assertArrayEquals(expected.maps().data(), spec.generatePhantom(2).maps().data());
    assertArrayEquals(expected.maps().data(), PairedDataset.open(tmp).maps("sub-0002").data());
  }
}
