package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logging callbacks on a real two-epoch run on TensorFlow: the TensorBoard event file read back by
 * {@link EventFileReader} (its own CRC-32C and protobuf decoding), the streaming CSV against the history,
 * checkpoints every N steps and of the best epoch, epochs numbered from 1 and the lr column's mean rate.
 */
class TrainingLogsTest {
  @TempDir Path tmp;

  @Test void crc32cMatchesTheKnownAnswerAndTheWritersMask() {
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
    // The CRC-32C check value of RFC 3720 (iSCSI), B.4.
    assertEquals(0xE3069283, EventFileReader.crc32c(digits, 0, 9));
    byte[] random = new byte[1000];
    new Random(3).nextBytes(random);
    assertEquals(EventFileReader.masked(EventFileReader.crc32c(random, 0, 1000)), TfRecordWriter.maskedCrc(random, 0, 1000));
  }

  @Test void recordsRoundTripAndACorruptByteIsCaught() throws IOException {
    Path f = tmp.resolve("events.out.tfevents.test");
    try (TfRecordWriter w = new TfRecordWriter(f)) {
      w.write(TensorBoardEvents.fileVersion(1.5e9));
      w.write(TensorBoardEvents.scalar(1.5e9 + 1, 7, "epoch/loss", 0.25f));
      w.write(TensorBoardEvents.histogram(1.5e9 + 2, 8, "weights/w", Histogram.of(new double[] {0, 1, 2, 3, 4, 10}, 5)));
    }
    List<EventFileReader.Event> ev = EventFileReader.read(f);
    assertEquals(3, ev.size());
    assertEquals("brain.Event:2", ev.get(0).fileVersion());
    assertEquals(1.5e9, ev.get(0).wallTime());
    assertEquals(7, ev.get(1).step());
    assertEquals(new EventFileReader.Value("epoch/loss", 0.25f, null), ev.get(1).values().get(0));
    EventFileReader.Histo h = ev.get(2).values().get(0).histo();
    // By hand: width 2 over [0, 10]; 0,1 | 2,3 | 4 | - | 10; sum 20; squares 0+1+4+9+16+100.
    assertEquals(List.of(2.0, 4.0, 6.0, 8.0, 10.0), h.limits());
    assertEquals(List.of(2.0, 2.0, 1.0, 0.0, 1.0), h.buckets());
    assertEquals(List.of(0.0, 10.0, 6.0, 20.0, 130.0), List.of(h.min(), h.max(), h.num(), h.sum(), h.sumSquares()));
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 10] ^= 1;
    Files.write(f, bytes);
    IOException e = assertThrows(IOException.class, () -> EventFileReader.read(f));
    assertTrue(e.getMessage().contains("CRC"), e.getMessage());
  }

  @Test void aTwoEpochRunLogsScalarsHistogramsCsvAndCheckpoints() throws IOException {
    Dataset train = TrainerTest.regression(8, 1, 1);
    Dataset val = TrainerTest.regression(6, 2, 1);
    TensorBoardLogger tb = TensorBoardLogger.to(tmp.resolve("tb")).histograms(true);
    CsvLogger csv = CsvLogger.to(tmp.resolve("logs/train.csv"));
    ModelCheckpoint every = ModelCheckpoint.everySteps(tmp.resolve("ckpt/step-{step}.kckpt"), 2);
    ModelCheckpoint best = ModelCheckpoint.best(tmp.resolve("ckpt/best.kckpt"), "val_loss", History.Mode.MIN);
    List<Double> stepLosses = new ArrayList<>();
    TrainingCallback record = new TrainingCallback() {
      @Override public void onStepEnd(Trainer t, long step, double loss) { stepLosses.add(loss); }
    };
    History h;
    Map<String, HostTensor> finalVars;
    // Step s (from 1) uses rate 0.001 * s, so the lr column is each epoch's mean: 0.0015, then 0.0035.
    try (Trainer t = TrainerTest.sgd(TrainerTest.linear(), 0).schedule((epoch, step) -> 0.001 * (step + 1))
        .callbacks(tb, csv, every, best, record).build()) {
      h = t.fit(train, val, 2, 4);
      finalVars = t.variables();
    }
    assertArrayEquals(new double[] {1, 2}, h.column("epoch"));
    assertArrayEquals(new double[] {0.0015, 0.0035}, h.column("lr"), 1e-12);

    List<EventFileReader.Event> ev = EventFileReader.read(tb.file());
    assertEquals("brain.Event:2", ev.get(0).fileVersion());
    for (int s = 1; s <= 4; s++) {
      assertEquals((float) (double) stepLosses.get(s - 1), scalar(ev, "batch/loss", s), "batch/loss at step " + s);
      assertEquals((float) (0.001 * s), scalar(ev, "batch/lr", s), "batch/lr at step " + s);
    }
    for (int e = 1; e <= 2; e++) {
      EpochRecord r = h.records().get(e - 1);
      assertEquals((float) r.trainLoss(), scalar(ev, "epoch/loss", e));
      assertEquals((float) r.validationLoss(), scalar(ev, "epoch/val_loss", e));
      assertEquals((float) r.learningRate(), scalar(ev, "epoch/lr", e));
    }
    EventFileReader.Histo w = histo(ev, "weights/fc.weight", 2);
    float[] wf = finalVars.get("fc.weight").toFloats();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : wf) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    assertEquals(4, w.num());
    assertEquals(min, w.min());
    assertEquals(max, w.max());
    assertEquals(1, histo(ev, "weights/fc.bias", 2).num());

    assertEquals(h.toCsv(), Files.readString(csv.file()), "the streamed CSV is the history's CSV");

    assertTrue(Files.exists(tmp.resolve("ckpt/step-2.kckpt")) && Files.exists(tmp.resolve("ckpt/step-4.kckpt")));
    assertEquals(h.best("val_loss", History.Mode.MIN).epoch(), best.bestEpoch());
    try (Trainer fresh = TrainerTest.sgd(TrainerTest.linear(), 0.001).labels(dev.kiln.spec.DType.F32, 1).build()) {
      fresh.restore(tmp.resolve("ckpt/step-4.kckpt"));
      assertEquals(4, fresh.step());
      assertEquals(2, fresh.epochs());
      assertArrayEquals(wf, fresh.variables().get("fc.weight").toFloats(), "step 4 ends epoch 2: the final weights");
      fresh.restore(tmp.resolve("ckpt/best.kckpt"));
      assertEquals(2L * best.bestEpoch(), fresh.step(), "the best checkpoint is taken at its epoch's end");
    }
  }

  private static float scalar(List<EventFileReader.Event> ev, String tag, long step) {
    for (EventFileReader.Event e : ev) {
      for (EventFileReader.Value v : e.values()) if (v.tag().equals(tag) && e.step() == step && v.simple() != null) return v.simple();
    }
    throw new AssertionError("no " + tag + " at step " + step);
  }

  private static EventFileReader.Histo histo(List<EventFileReader.Event> ev, String tag, long step) {
    for (EventFileReader.Event e : ev) {
      for (EventFileReader.Value v : e.values()) if (v.tag().equals(tag) && e.step() == step) return v.histo();
    }
    throw new AssertionError("no histogram " + tag + " at step " + step);
  }
}
