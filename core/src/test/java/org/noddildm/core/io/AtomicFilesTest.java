package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class AtomicFilesTest {
  @Test
  void outputsGetTheSamePermissionsAsAnyNewFileAndNoPartFileRemains(@TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null,
        "POSIX permissions only");
    Path plain = Files.createFile(dir.resolve("plain.txt")); // 0666 minus the umask
    Path text = dir.resolve("scores.json");
    Path bytes = dir.resolve("view.png");
    Path nifti = dir.resolve("map.nii.gz");
    AtomicFiles.writeString(text, "{}");
    AtomicFiles.writeBytes(bytes, new byte[] {1, 2, 3});
    NiftiWriter.write(nifti, Volume.zeros(Grid.of(2, 2, 2, 1.0), 1));
    for (Path p : List.of(text, bytes, nifti)) {
      assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p),
          p.getFileName().toString());
    }
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
    }
  }

  @Test
  void writeErrorsNameTheOutputNotTheTemporary(@TempDir Path dir) {
    Path target = dir.resolve("ndi.nii.gz");
    java.io.IOException full = AtomicFiles.cannotWrite(target,
        new java.io.IOException("No space left on device"));
    assertEquals(target + ": cannot write (No space left on device)", full.getMessage());
    java.io.IOException denied = AtomicFiles.cannotWrite(target,
        new java.nio.file.AccessDeniedException(dir.resolve(".ndi.nii.gz.1-x.part").toString()));
    assertEquals(target + ": cannot write (permission denied)", denied.getMessage());
  }
}
