package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming CSV logger on hand-made epochs (the callback needs no trainer for this). */
class CsvLoggerTest {
  @TempDir Path tmp;

  private static EpochRecord epoch(int n, double loss) {
    return new EpochRecord(n, loss, Map.of("accuracy", 0.5), loss + 1, Map.of("accuracy", 0.25), 0.01, 2.0);
  }

  @Test void writesAHeaderAndOneRowPerEpochAsTheyEnd() throws Exception {
    Path f = tmp.resolve("sub/dir/log.csv");
    CsvLogger c = CsvLogger.to(f);
    c.onEpochEnd(null, epoch(1, 0.75));
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n1,0.75,0.5,1.75,0.25,0.01,2.0\n", Files.readString(f),
        "the row is on disk as soon as the epoch ends");
    c.onEpochEnd(null, epoch(2, 0.5));
    assertTrue(Files.readString(f).endsWith("\n2,0.5,0.5,1.5,0.25,0.01,2.0\n"), Files.readString(f));
  }

  @Test void appendContinuesAfterCuttingATornRowAndChecksTheHeader() throws Exception {
    Path f = tmp.resolve("log.csv");
    CsvLogger.to(f).onEpochEnd(null, epoch(1, 0.75));
    Files.writeString(f, Files.readString(f) + "2,0.6", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    CsvLogger.append(f).onEpochEnd(null, epoch(2, 0.5));
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds\n1,0.75,0.5,1.75,0.25,0.01,2.0\n2,0.5,0.5,1.5,0.25,0.01,2.0\n",
        Files.readString(f));
    EpochRecord noValidation = new EpochRecord(3, 0.4, Map.of(), Double.NaN, Map.of(), 0.01, 1.0);
    KilnException e = assertThrows(KilnException.class, () -> CsvLogger.append(f).onEpochEnd(null, noValidation));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("epoch,loss,lr,seconds"), e.getMessage());
  }

  @Test void toReplacesAnOldFile() throws Exception {
    Path f = tmp.resolve("log.csv");
    Files.writeString(f, "old contents\n");
    CsvLogger.to(f).onEpochEnd(null, epoch(1, 0.75));
    assertTrue(Files.readString(f).startsWith("epoch,loss"), Files.readString(f));
  }
}
