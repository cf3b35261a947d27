package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.testing.TestVolumes;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class NiftiBadInputTest {
  @TempDir Path dir;

  private byte[] validFile() throws Exception {
    Volume v = TestVolumes.random(Grid.of(4, 4, 4, 1), 2, NiftiDataType.FLOAT32, 5);
    Path f = dir.resolve("valid.nii");
    NiftiWriter.write(f, v);
    byte[] bytes = Files.readAllBytes(f);
    Files.delete(f);
    return bytes;
  }

  private BadFileException readFails(byte[] content, String name) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return assertThrows(BadFileException.class, () -> NiftiReader.read(f));
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(b);
    }
    return bos.toByteArray();
  }

  @Test
  void truncatedPlainFileSaysHowManyBytesWereExpected() throws Exception {
    byte[] ok = validFile();
    BadFileException e = readFails(Arrays.copyOf(ok, ok.length - 10), "trunc.nii");
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(ok.length)), e.getMessage());
    assertTrue(e.getMessage().contains(String.valueOf(ok.length - 10)), e.getMessage());
  }

  @Test
  void truncatedGzipStreamIsAnError() throws Exception {
    byte[] gz = gzip(validFile());
    BadFileException e = readFails(Arrays.copyOf(gz, gz.length - 40), "trunc.nii.gz");
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void gzipWithTheDataCutShortIsAnError() throws Exception {
    byte[] ok = validFile();
    BadFileException e = readFails(gzip(Arrays.copyOf(ok, ok.length - 64)), "short.nii.gz");
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void corruptGzipDataIsAnError() throws Exception {
    byte[] gz = gzip(validFile());
    for (int i = 30; i < gz.length - 20; i += 7) {
      gz[i] ^= 0x5a;
    }
    BadFileException e = readFails(gz, "corrupt.nii.gz");
    assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("truncated")
        || e.getMessage().contains("NIfTI"), e.getMessage());
  }

  @Test
  void truncatedGzipHeaderSaysSoInsteadOfNull() throws Exception {
    BadFileException e = readFails(new byte[] {0x1f, (byte) 0x8b, 8, 0}, "head.nii.gz");
    assertTrue(e.getMessage().endsWith("truncated gzip header: expected at least 10 bytes after"
        + " the magic 1f 8b"), e.getMessage()); // was "corrupt gzip header: null"
  }

  @Test
  void gzipIsRecognisedByContentNotByName() throws Exception {
    Path f = dir.resolve("looks-plain.nii");
    Files.write(f, gzip(validFile()));
    assertEquals(2, NiftiReader.read(f).volume().nt());
  }

  @Test
  void wrongSizeofHdrNamesBothExpectedValues() throws Exception {
    byte[] b = validFile();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 123);
    BadFileException e = readFails(b, "size.nii");
    assertTrue(e.getMessage().contains("348") && e.getMessage().contains("540")
        && e.getMessage().contains("123"), e.getMessage());
  }

  @Test
  void wrongMagicIsAnError() throws Exception {
    byte[] b = validFile();
    b[344] = 'x';
    BadFileException e = readFails(b, "magic.nii");
    assertTrue(e.getMessage().contains("n+1"), e.getMessage());
  }

  @Test
  void unsupportedDataTypeIsNamed() throws Exception {
    byte[] b = validFile();
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    bb.putShort(70, (short) 32); // complex64
    bb.putShort(72, (short) 64);
    BadFileException e = readFails(b, "complex.nii");
    assertTrue(e.getMessage().contains("complex64"), e.getMessage());
  }

  @Test
  void bitpixThatDoesNotMatchTheTypeIsAnError() throws Exception {
    byte[] b = validFile();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(72, (short) 8);
    BadFileException e = readFails(b, "bitpix.nii");
    assertTrue(e.getMessage().contains("bitpix 32"), e.getMessage());
  }

  @Test
  void dimensionsLargerThanTheFileAreAnError() throws Exception {
    byte[] b = validFile();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(48, (short) 9); // dim[4] = 9
    BadFileException e = readFails(b, "dims.nii");
    assertTrue(e.getMessage().contains("4 x 4 x 4 x 9"), e.getMessage());
  }

  @Test
  void nonPositiveDimensionIsAnError() throws Exception {
    byte[] b = validFile();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 0); // dim[2] = 0
    BadFileException e = readFails(b, "zero.nii");
    assertTrue(e.getMessage().contains("dim[2]"), e.getMessage());
  }

  @Test
  void aNifti2SizeBeyondTwoToThe31IsAnErrorNotAWrappedSize() throws Exception {
    Volume v = TestVolumes.random(Grid.of(10, 9, 7, 1), 1, NiftiDataType.FLOAT32, 5);
    Path f = dir.resolve("n2.nii");
    NiftiWriter.write(f, v, NiftiWriter.Options.defaults().withVersion(2));
    byte[] b = Files.readAllBytes(f);
    Files.delete(f);
    // dim[3] = 2^32 + 7: cast to int it would read as 7, the size of the data in the file
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(16 + 8 * 3, (1L << 32) + 7);
    BadFileException e = readFails(b, "huge.nii");
    assertTrue(e.getMessage().contains("dim[3]") && e.getMessage().contains("4294967303"),
        e.getMessage());
  }

  @Test
  void emptyAndTinyFilesAreErrors() throws Exception {
    assertTrue(readFails(new byte[0], "empty.nii").getMessage().contains("truncated"));
    assertTrue(readFails(Arrays.copyOf(validFile(), 100), "tiny.nii").getMessage()
        .contains("truncated"));
  }

  @Test
  void headerImagePairIsRefusedWithAHint() throws Exception {
    byte[] b = validFile();
    b[345] = 'i';
    b[344] = 'n';
    b[346] = '1';
    BadFileException e = readFails(b, "pair.nii");
    assertTrue(e.getMessage().contains("ni1"), e.getMessage());
  }

  @Test
  void missingFileIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> NiftiReader.read(dir.resolve("nope.nii")));
  }

  @Test
  void failedWriteLeavesNoFileBehind() throws Exception {
    float[] d = new float[8];
    d[3] = Float.NaN;
    Volume v = Volume.of(Grid.of(2, 2, 2, 1), d);
    Path f = dir.resolve("out.nii.gz");
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> NiftiWriter.write(
        f, v, NiftiWriter.Options.defaults().withType(NiftiDataType.INT16)));
    assertTrue(e.getMessage().contains("finite"), e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing written, not even a temporary file");
    }
  }

  @Test
  void failedWriteKeepsTheOldFileIntact() throws Exception {
    Path f = dir.resolve("keep.nii");
    Volume good = TestVolumes.random(Grid.of(2, 2, 2, 1), 1, NiftiDataType.FLOAT32, 1);
    NiftiWriter.write(f, good);
    byte[] before = Files.readAllBytes(f);
    Volume huge = Volume.zeros(new Grid(40000, 1, 1, good.grid().affine()), 1);
    assertThrows(BadArgumentException.class, () -> NiftiWriter.write(f, huge)); // NIfTI-1 dims
    assertTrue(Arrays.equals(before, Files.readAllBytes(f)));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }
}
