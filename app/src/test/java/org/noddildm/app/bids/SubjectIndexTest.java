package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** The participant's index page from a completion record, without running a subject. */
class SubjectIndexTest {
  private static final String RECORD = "{\"subject\": \"07\", \"fingerprint\": \"f\","
      + " \"modelId\": \"sha256:ab\", \"finished\": \"2024-01-01T00:00:00Z\", \"settings\":"
      + " {\"method\": \"both\"}, \"runs\": [{\"prefix\": \"sub-07_dir-AP\", \"entities\":"
      + " {\"sub\": \"07\", \"dir\": \"AP\"}, \"maps\": {\"refine\": {}, \"classic\": {}},"
      + " \"qc\": {\"brainVoxels\": 800, \"brainVoxelsNative\": 100, \"b0Count\": 1, \"b0Snr\":"
      + " null, \"shells\": \"b0 x 1, b=1000 x 30\"}, \"report\":"
      + " \"sub-07/figures/sub-07_dir-AP_desc-qc_report.html\"}]}";

  @Test
  void aFailedRerunShowsTheFailureAboveTheKeptOutputsWithoutPathsOrTimes() {
    String html = SubjectIndex.html("07", SubjectIndex.parse(RECORD), "/home/me/study/sub-07/"
        + "dwi/sub-07_dir-AP_dwi.nii.gz: expected 64 volumes, found 63");
    assertTrue(html.contains("failed:</b> sub-07_dir-AP_dwi.nii.gz: expected 64 volumes"), html);
    assertTrue(html.contains("outputs of an earlier run, kept as they were"));
    assertTrue(html.contains("<a href=\"sub-07/figures/sub-07_dir-AP_desc-qc_report.html\">"));
    assertTrue(html.contains("<th>dir</th>") && html.contains("<td>AP</td>"));
    assertTrue(html.contains("<td>n/a</td><td>800</td><td>100</td>"), "SNR n/a with one b0");
    assertTrue(html.contains("method both, model sha256:ab"));
    assertFalse(html.contains("/home/me") || html.contains("2024-01-01"), html);
  }

  @Test
  void theSamePageWhateverTheRecordsTimeOrAnUnreadableRecord() {
    JsonObject later = SubjectIndex.parse(RECORD);
    later.addProperty("finished", "2025-06-01T12:00:00Z");
    assertEquals(SubjectIndex.html("07", SubjectIndex.parse(RECORD), null),
        SubjectIndex.html("07", later, null));
    assertEquals(null, SubjectIndex.parse("{truncated"));
    assertTrue(SubjectIndex.html("07", null, null).contains("No finished outputs"));
  }
}
