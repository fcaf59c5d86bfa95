package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayersCliTest {
  @Test
  void listsCutPointsOfASampleNearestTheOutputFirst() {
    CliRun r = CliRun.of("layers", "resnet", "--limit", "5");
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith("value"), r.out());
    assertTrue(lines[1].startsWith("logits "), r.out());  // the output itself, 0 nodes away
    assertTrue(lines[1].trim().endsWith(" 0"), r.out());
    assertEquals(7, lines.length, r.out());  // header, 5 rows, "... N more"
    assertTrue(lines[6].startsWith("... "), r.out());
  }

  @Test
  void anUnknownModelIsBadInput() {
    CliRun r = CliRun.of("layers", "no-such-sample");
    assertEquals(KilnCli.EXIT_USER_ERROR, r.exit());
    assertTrue(r.err().contains("no sample model 'no-such-sample'"), r.err());
  }
}
