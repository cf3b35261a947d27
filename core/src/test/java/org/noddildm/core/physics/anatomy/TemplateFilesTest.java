package org.noddildm.core.physics.anatomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.physics.phantom.Anatomy;

class TemplateFilesTest {
  @Test
  void aMissingTemplateNamesTheFileAndThePackage(@TempDir Path empty) {
    String before = System.getProperty(TemplateFiles.DIR_PROPERTY);
    System.setProperty(TemplateFiles.DIR_PROPERTY, empty.toString());
    try {
      assertFalse(TemplateFiles.available(Anatomy.COLIN27));
      BadFileException e = assertThrows(BadFileException.class,
          () -> TemplateFiles.read(TemplateFiles.COLIN_T1));
      assertTrue(e.getMessage().contains("ch2bet.nii.gz"), e.getMessage());
      assertTrue(e.getMessage().contains("mricron-data"), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(TemplateFiles.DIR_PROPERTY);
      } else {
        System.setProperty(TemplateFiles.DIR_PROPERTY, before);
      }
    }
  }

  @Test
  void labelListsAreReadByIndexAndName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("atlas.nii.txt"), "0\tUnclassified\n71 Caudate_L 7001\n"
        + "72 Caudate_R 7002\n91 Cerebelum_Crus1_L 9001\n");
    String before = System.getProperty(TemplateFiles.DIR_PROPERTY);
    System.setProperty(TemplateFiles.DIR_PROPERTY, dir.toString());
    try {
      Map<Integer, String> names = TemplateFiles.labelNames("atlas.nii.gz");
      assertEquals("Caudate_R", names.get(72));
      assertEquals(java.util.List.of(71, 72), TemplateFiles.labelsNamed(names, "caudate"));
    } finally {
      if (before == null) {
        System.clearProperty(TemplateFiles.DIR_PROPERTY);
      } else {
        System.setProperty(TemplateFiles.DIR_PROPERTY, before);
      }
    }
  }
}
