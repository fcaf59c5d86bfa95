package dev.kiln.runtime.spark;

import dev.kiln.runtime.onnx.OnnxRuntimeModel;
import dev.kiln.runtime.onnx.OnnxRuntimeOptions;
import dev.kiln.runtime.onnx.TensorSpec;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring of any ONNX model (imported or Kiln-exported) with Spark: the model's bytes are broadcast once, each
 * executor JVM opens one ONNX Runtime session per model (one intra-op thread: Spark's task slots are the
 * parallelism) and every partition is scored in batches of rows. {@link #score(SparkSession, byte[], Dataset, String, int)}
 * appends one column per model output to a DataFrame; {@link #scoreArray} scores a host tensor's rows and gives the
 * outputs in the same row order, as {@code kiln run} would.
 */
public final class SparkScorer {
  /** Executor-wide sessions, by broadcast id: one per model per JVM, opened on first use and kept for the JVM's life. */
  private static final Map<Long, OnnxRuntimeModel> SESSIONS = new ConcurrentHashMap<>();

  private SparkScorer() {}

  /** The one input the model must have (f32, static size after the batch axis) and its per-row shape. */
  record Plan(String input, long[] rowShape, List<String> outputs, List<DType> outputTypes) implements Serializable {
    int rowLength() { return (int) HostTensor.count(rowShape); }
  }

  static Plan plan(byte[] model) {
    try (OnnxRuntimeModel m = OnnxRuntimeModel.load(model)) {
      if (m.inputs().size() != 1) throw new KilnException("scoring takes a model with one input; this one has " + m.inputs());
      TensorSpec in = m.inputs().get(0);
      if (in.dtype() != DType.F32) throw new KilnException("scoring feeds f32 features; input " + in + " is " + in.dtype());
      long[] row = Arrays.copyOfRange(in.shape(), 1, in.shape().length);
      for (long d : row) if (d < 0) throw new KilnException("input " + in + " needs a static size after the batch axis to be scored row by row");
      List<String> names = new ArrayList<>();
      List<DType> types = new ArrayList<>();
      for (TensorSpec o : m.outputs()) {
        if (o.dtype() != DType.F32 && o.dtype() != DType.I64) throw new KilnException("output " + o + ": scoring writes f32 or i64 outputs, not " + o.dtype());
        names.add(o.name());
        types.add(o.dtype());
      }
      return new Plan(in.name(), row, names, types);
    }
  }

  static OnnxRuntimeModel session(Broadcast<byte[]> model) {
    return SESSIONS.computeIfAbsent(model.id(), id -> OnnxRuntimeModel.load(model.value(), OnnxRuntimeOptions.cpu().intraOpThreads(1)));
  }

  /**
   * {@code frame} with one column per model output appended (named after the output: {@code array<float>} for f32,
   * {@code array<bigint>} for i64, the row's values flattened). {@code features} names a column of
   * {@code array<float>} or {@code array<double>} holding each row's input, flattened, of the model's per-row size.
   */
  public static Dataset<Row> score(SparkSession spark, byte[] model, Dataset<Row> frame, String features, int batchRows) {
    if (batchRows < 1) throw new KilnException("rows per batch must be >= 1, got " + batchRows);
    Plan plan = plan(model);
    StructType schema = frame.schema();
    int col;
    try {
      col = schema.fieldIndex(features);
    } catch (IllegalArgumentException e) {
      throw new KilnException("the DataFrame has no column '" + features + "'; its columns are " + Arrays.toString(schema.fieldNames()));
    }
    org.apache.spark.sql.types.DataType type = schema.fields()[col].dataType();
    if (!FeatureColumn.accepts(type)) {
      throw new KilnException("features column '" + features + "' is " + type.simpleString() + "; expected " + FeatureColumn.ACCEPTED);
    }
    StructType out = schema;
    for (int i = 0; i < plan.outputs().size(); i++) {
      if (Arrays.asList(schema.fieldNames()).contains(plan.outputs().get(i))) {
        throw new KilnException("the DataFrame already has a column named like model output '" + plan.outputs().get(i) + "'");
      }
      out = out.add(new StructField(plan.outputs().get(i), DataTypes.createArrayType(
          plan.outputTypes().get(i) == DType.F32 ? DataTypes.FloatType : DataTypes.LongType, false), false, org.apache.spark.sql.types.Metadata.empty()));
    }
    Broadcast<byte[]> bytes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
    MapPartitionsFunction<Row, Row> f = rows -> new BatchIterator(rows, col, plan, bytes, batchRows);
    return frame.mapPartitions(f, Encoders.row(out));
  }

  /** Scores batches of a partition's rows lazily, one ONNX Runtime call per batch. */
  private static final class BatchIterator implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int col;
    private final Plan plan;
    private final Broadcast<byte[]> model;
    private final int batchRows;
    private final List<Row> pending = new ArrayList<>();
    private Iterator<Row> ready = java.util.Collections.emptyIterator();

    BatchIterator(Iterator<Row> rows, int col, Plan plan, Broadcast<byte[]> model, int batchRows) {
      this.rows = rows;
      this.col = col;
      this.plan = plan;
      this.model = model;
      this.batchRows = batchRows;
    }

    @Override public boolean hasNext() {
      if (ready.hasNext()) return true;
      if (!rows.hasNext()) return false;
      pending.clear();
      while (rows.hasNext() && pending.size() < batchRows) pending.add(rows.next());
      ready = scoreRows(pending).iterator();
      return ready.hasNext();
    }

    @Override public Row next() {
      if (!hasNext()) throw new java.util.NoSuchElementException();
      return ready.next();
    }

    private List<Row> scoreRows(List<Row> batch) {
      int len = plan.rowLength();
      float[] x = new float[batch.size() * len];
      String what = "model input '" + plan.input() + "' takes " + len + " a row " + Arrays.toString(plan.rowShape());
      for (int r = 0; r < batch.size(); r++) FeatureColumn.read(batch.get(r), col, x, r * len, len, what);
      Map<String, HostTensor> y = run(model, plan, HostTensor.ofFloats(x, shape(batch.size(), plan.rowShape())));
      List<Row> out = new ArrayList<>(batch.size());
      for (int r = 0; r < batch.size(); r++) {
        Row in = batch.get(r);
        Object[] values = new Object[in.length() + plan.outputs().size()];
        for (int i = 0; i < in.length(); i++) values[i] = in.get(i);
        for (int o = 0; o < plan.outputs().size(); o++) values[in.length() + o] = rowOf(y.get(plan.outputs().get(o)), r, batch.size());
        out.add(RowFactory.create(values));
      }
      return out;
    }
  }

  static Map<String, HostTensor> run(Broadcast<byte[]> model, Plan plan, HostTensor batch) {
    return session(model).run(Map.of(plan.input(), batch));
  }

  private static Object rowOf(HostTensor t, int r, int rows) {
    int per = (int) (t.size() / rows);
    if (t.dtype() == DType.F32) {
      float[] all = t.toFloats();
      return Arrays.copyOfRange(all, r * per, (r + 1) * per);
    }
    long[] all = t.toLongs();
    return Arrays.copyOfRange(all, r * per, (r + 1) * per);
  }

  static long[] shape(long rows, long[] rowShape) {
    long[] s = new long[rowShape.length + 1];
    s[0] = rows;
    System.arraycopy(rowShape, 0, s, 1, rowShape.length);
    return s;
  }

  /** A contiguous range of rows, as raw little-endian bytes, with its position. */
  record Chunk(int index, long rows, long[] rowShape, byte[] bytes) implements Serializable {}

  /**
   * Scores the rows of {@code x} (f32, [rows, ...the model's per-row shape]) in {@code partitions} contiguous
   * partitions, batches of {@code batchRows} within each, and gives every output for all rows in {@code x}'s order.
   */
  public static Map<String, HostTensor> scoreArray(JavaSparkContext sc, byte[] model, HostTensor x, int partitions, int batchRows) {
    Plan plan = plan(model);
    if (x.dtype() != DType.F32) throw new KilnException("input '" + plan.input() + "' takes f32, the array is " + x.dtype());
    long[] s = x.shape();
    if (s.length != plan.rowShape().length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), plan.rowShape())) {
      throw new KilnException("the array is " + Arrays.toString(s) + "; input '" + plan.input() + "' takes [rows, "
          + Arrays.toString(plan.rowShape()).replaceAll("[\\[\\]]", "") + "]");
    }
    long rows = s[0];
    if (rows == 0) throw new KilnException("the array has no rows to score");
    int rowBytes = plan.rowLength() * 4;
    int parts = (int) Math.max(1, Math.min(partitions, rows));
    List<Chunk> chunks = new ArrayList<>();
    ByteBuffer all = x.buffer();
    for (int p = 0; p < parts; p++) {
      long from = rows * p / parts;
      long to = rows * (p + 1) / parts;
      byte[] b = new byte[(int) ((to - from) * rowBytes)];
      all.position((int) (from * rowBytes));
      all.get(b);
      chunks.add(new Chunk(p, to - from, plan.rowShape(), b));
    }
    Broadcast<byte[]> bytes = sc.broadcast(model);
    JavaRDD<Chunk> in = sc.parallelize(chunks, parts);
    List<List<Chunk>> scored;
    try {
      scored = in.map(c -> scoreChunk(c, plan, bytes, batchRows)).collect();
    } catch (Exception e) {  // Spark's SparkException is a checked exception thrown unchecked from Scala
      throw SparkErrors.unwrap(e);
    } finally {
      bytes.destroy();
    }
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (int o = 0; o < plan.outputs().size(); o++) {
      java.io.ByteArrayOutputStream cat = new java.io.ByteArrayOutputStream();
      long[] rowShape = null;
      for (List<Chunk> perChunk : scored) {
        Chunk c = perChunk.get(o);
        cat.writeBytes(c.bytes());
        if (c.rows() > 0) rowShape = c.rowShape();
      }
      out.put(plan.outputs().get(o), HostTensor.ofBytes(plan.outputTypes().get(o), shape(rows, rowShape), cat.toByteArray()));
    }
    return out;
  }

  private static List<Chunk> scoreChunk(Chunk c, Plan plan, Broadcast<byte[]> model, int batchRows) {
    int rowBytes = plan.rowLength() * 4;
    List<java.io.ByteArrayOutputStream> outs = new ArrayList<>();
    long[][] shapes = new long[plan.outputs().size()][];
    for (int o = 0; o < plan.outputs().size(); o++) outs.add(new java.io.ByteArrayOutputStream());
    for (long from = 0; from < c.rows(); from += batchRows) {
      long n = Math.min(batchRows, c.rows() - from);
      ByteBuffer b = ByteBuffer.wrap(c.bytes(), (int) (from * rowBytes), (int) (n * rowBytes)).slice().order(ByteOrder.LITTLE_ENDIAN);
      Map<String, HostTensor> y = run(model, plan, HostTensor.ofBuffer(DType.F32, shape(n, plan.rowShape()), b));
      for (int o = 0; o < outs.size(); o++) {
        HostTensor t = y.get(plan.outputs().get(o));
        long[] ts = t.shape();
        if (ts.length == 0 || ts[0] != n) throw new KilnException("output '" + plan.outputs().get(o) + "' is " + Arrays.toString(ts)
            + " for a batch of " + n + " rows; scoring needs outputs with one row per input row");
        shapes[o] = Arrays.copyOfRange(ts, 1, ts.length);
        outs.get(o).writeBytes(t.bytes());
      }
    }
    List<Chunk> out = new ArrayList<>();
    for (int o = 0; o < outs.size(); o++) out.add(new Chunk(c.index(), c.rows(), shapes[o], outs.get(o).toByteArray()));
    return out;
  }
}
