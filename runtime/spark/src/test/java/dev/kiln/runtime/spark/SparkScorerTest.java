package dev.kiln.runtime.spark;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.onnx.OnnxExporter;
import dev.kiln.dsl.Model;
import dev.kiln.dsl.Tensor;
import dev.kiln.dsl.types.F32;
import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 17: batch scoring over Spark gives ONNX Runtime's own outputs, row for row, in order. */
class SparkScorerTest {
  static SparkSession spark;
  static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    spark = SparkSessions.session("local[2]");
    sc = SparkSessions.context(spark);
  }

  @AfterAll
  static void stop() { if (spark != null) spark.stop(); }

  static byte[] model() {
    Model m = Model.define("scorer", 3, b -> {
      Tensor<F32> x = b.input("x", F32, "batch", 20);
      Tensor<F32> logits = x.linear("fc1", 16).relu().linear("fc2", 3);
      b.output("logits", logits);
    });
    return OnnxExporter.export(m.graph()).toByteArray();
  }

  static float[] rows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 20];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    return x;
  }

  static float[] direct(byte[] model, float[] x, int n) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      return m.run(Map.of("x", HostTensor.ofFloats(x, n, 20))).get("logits").toFloats();
    }
  }

  static void close(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f * (1 + Math.abs(want[i])), "value " + i);
  }

  @Test
  void anArrayScoresInTheSameRowOrderAsOneOnnxRuntimeCall() {
    byte[] model = model();
    int n = 1003;
    float[] x = rows(n, 1);
    Map<String, HostTensor> y = SparkScorer.scoreArray(sc, model, HostTensor.ofFloats(x, n, 20), 3, 64);
    assertArrayEquals(new long[] {n, 3}, y.get("logits").shape());
    close(direct(model, x, n), y.get("logits").toFloats());
  }

  @Test
  void aDataFrameGetsOnePredictionColumnPerOutput() {
    byte[] model = model();
    int n = 300;
    float[] x = rows(n, 2);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Float[] f = new Float[20];
      for (int k = 0; k < 20; k++) f[k] = x[i * 20 + k];
      data.add(RowFactory.create((long) i, java.util.Arrays.asList(f)));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> frame = spark.createDataFrame(data, schema).repartition(4);
    Dataset<Row> scored = SparkScorer.score(spark, model, frame, "features", 32);
    assertEquals(List.of("id", "features", "logits"), List.of(scored.schema().fieldNames()));
    float[] want = direct(model, x, n);
    List<Row> got = scored.orderBy("id").collectAsList();
    assertEquals(n, got.size());
    for (Row r : got) {
      int i = (int) r.getLong(0);
      List<Object> logits = r.getList(2);
      float[] row = new float[3];
      for (int k = 0; k < 3; k++) row[k] = (Float) logits.get(k);
      close(java.util.Arrays.copyOfRange(want, i * 3, i * 3 + 3), row);
    }
  }

  @Test
  void rowsOfTheWrongSizeGiveAClearError() {
    byte[] model = model();
    List<Row> data = List.of(RowFactory.create(java.util.Arrays.asList(1f, 2f, 3f)));
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> frame = spark.createDataFrame(data, schema);
    Exception e = assertThrows(Exception.class, () -> SparkScorer.score(spark, model, frame, "features", 8).collectAsList());
    assertTrue(String.valueOf(e.getMessage()).contains("row features have 3 values; model input 'x' takes 20"), e.getMessage());
    KilnException missing = assertThrows(KilnException.class, () -> SparkScorer.score(spark, model, frame, "pixels", 8));
    assertTrue(missing.getMessage().contains("no column 'pixels'"), missing.getMessage());
    KilnException shape = assertThrows(KilnException.class,
        () -> SparkScorer.scoreArray(sc, model, HostTensor.ofFloats(new float[30], 3, 10), 2, 8));
    assertTrue(shape.getMessage().contains("takes [rows, 20]"), shape.getMessage());
  }

  /**
   * An ML Vector column as Spark stores it (and as Parquet written by Spark ML reads back without MLlib): the struct
   * {@code type, size, indices, values}, dense and sparse rows mixed. Scoring it gives what the same values give as
   * one ONNX Runtime call, and training reads the same features from it as from an array column.
   */
  @Test
  void mlVectorColumnsDenseAndSparseReadLikeArrays() {
    byte[] model = model();
    int n = 200;
    float[] x = rows(n, 3);
    for (int i = 0; i < x.length; i += 3) x[i] = 0f;  // zeros for the sparse rows to leave out
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Integer> idx = new ArrayList<>();
      List<Double> val = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        float v = x[i * 20 + k];
        if (i % 2 == 0 || v != 0f) {
          idx.add(k);
          val.add((double) v);
        }
      }
      Row vector = i % 2 == 0 ? RowFactory.create((byte) 1, null, null, val) : RowFactory.create((byte) 0, 20, idx, val);
      data.add(RowFactory.create((long) i, vector, i % 3));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType).add("features", FeatureColumn.VECTOR_STRUCT)
        .add("label", DataTypes.IntegerType);
    Dataset<Row> frame = spark.createDataFrame(data, schema).repartition(3);
    float[] want = direct(model, x, n);
    List<Row> got = SparkScorer.score(spark, model, frame, "features", 16).orderBy("id").collectAsList();
    assertEquals(n, got.size());
    for (Row r : got) {
      int i = (int) r.getLong(0);
      List<Object> logits = r.getList(3);
      float[] row = new float[3];
      for (int k = 0; k < 3; k++) row[k] = (Float) logits.get(k);
      close(java.util.Arrays.copyOfRange(want, i * 3, i * 3 + 3), row);
    }
    FrameRows.check(frame, "features", "label");
    List<Row> collected = frame.orderBy("id").collectAsList();  // as a barrier task sees them: Spark's rows
    dev.kiln.runtime.data.Dataset d = FrameRows.dataset(collected, 1, 2, true, new long[] {20});
    assertArrayEquals(x, d.features().toFloats());
    List<Row> outside = spark.createDataFrame(List.of(RowFactory.create(0L, RowFactory.create((byte) 0, 20, List.of(25), List.of(1.0)), 0)),
        schema).collectAsList();
    KilnException e = assertThrows(KilnException.class, () -> FrameRows.dataset(outside, 1, 2, true, new long[] {20}));
    assertTrue(e.getMessage().contains("index 25 outside its size 20"), e.getMessage());
  }
}
