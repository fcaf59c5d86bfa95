package dev.kiln.runtime.spark;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Function1;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Training from a DataFrame ({@link SparkTrainer#fit(org.apache.spark.sql.SparkSession, TrainingRecipe,
 * org.apache.spark.sql.Dataset, String, String, SparkTrainer.Config)}): one partition per replica, its rows turned
 * into a Kiln {@link Dataset} inside the barrier task, so the data never passes through the driver.
 */
final class FrameRows {
  private FrameRows() {}

  static void check(org.apache.spark.sql.Dataset<Row> frame, String features, String label) {
    StructType s = frame.schema();
    List<String> names = Arrays.asList(s.fieldNames());
    if (!names.contains(features)) throw new KilnException("the DataFrame has no features column '" + features + "'; its columns are " + names);
    if (!names.contains(label)) throw new KilnException("the DataFrame has no label column '" + label + "'; its columns are " + names);
    DataType f = s.apply(features).dataType();
    if (!FeatureColumn.accepts(f)) {
      throw new KilnException("features column '" + features + "' is " + f.simpleString() + "; expected " + FeatureColumn.ACCEPTED);
    }
    DataType l = s.apply(label).dataType();
    if (!integral(l) && l != DataTypes.FloatType && l != DataTypes.DoubleType) {
      throw new KilnException("label column '" + label + "' is " + l.simpleString() + "; expected an integer (class ids) or a float");
    }
  }

  static boolean integral(DataType t) {
    return t == DataTypes.IntegerType || t == DataTypes.LongType || t == DataTypes.ShortType || t == DataTypes.ByteType;
  }

  static List<ReplicaReport> run(TrainingRecipe recipe, org.apache.spark.sql.Dataset<Row> frame, String features, String label,
                                 int workers, SparkTrainer.Task task) throws SparkException {
    int fi = frame.schema().fieldIndex(features);
    int li = frame.schema().fieldIndex(label);
    boolean classes = integral(frame.schema().apply(label).dataType());
    // NOTE: Spark sorts rows before a round-robin repartition, so a retried stage sees the same partitions.
    RDD<Row> rows = frame.repartition(workers).rdd();
    Function1<scala.collection.Iterator<Row>, scala.collection.Iterator<ReplicaReport>> body =
        (Function1<scala.collection.Iterator<Row>, scala.collection.Iterator<ReplicaReport>> & Serializable) it -> {
          List<Row> mine = new ArrayList<>();
          CollectionConverters.asJava(it).forEachRemaining(mine::add);
          return CollectionConverters.asScala(SparkTrainer.replica(recipe, task, (replica, comm) -> {
            Dataset d = dataset(mine, fi, li, classes, replica.inputRowShape());
            long[] sizes = comm.gather(d.size());
            long fewest = Arrays.stream(sizes).min().orElse(0);
            int per = task.batchSize() / workers;
            int steps = (int) (fewest / per);
            if (steps == 0) {
              throw new KilnException("the smallest partition holds " + fewest + " rows, fewer than one step of " + per
                  + " (batch " + task.batchSize() + " over " + workers + " workers); partition sizes " + Arrays.toString(sizes));
            }
            return new SparkTrainer.Shard(d, replica.localShards(d.size(), per, steps));
          }));
        };
    RDD<ReplicaReport> out = rows.barrier().mapPartitions(body, false, ClassTag$.MODULE$.apply(ReplicaReport.class));
    return new ArrayList<>(out.toJavaRDD().collect());
  }

  /** The rows as features f32 [n, rowShape...] and labels (i64 class ids, or f32 values). */
  static Dataset dataset(List<Row> rows, int fi, int li, boolean classes, long[] rowShape) {
    long len = 1;
    for (long d : rowShape) {
      if (d < 0) throw new KilnException("the model input needs static sizes after the batch axis to be read from rows, has " + Arrays.toString(rowShape));
      len *= d;
    }
    int n = rows.size();
    float[] x = new float[(int) (n * len)];
    long[] ids = classes ? new long[n] : null;
    float[] values = classes ? null : new float[n];
    for (int r = 0; r < n; r++) {
      Row row = rows.get(r);
      FeatureColumn.read(row, fi, x, (int) (r * len), (int) len, "the model input takes " + len + " a row " + Arrays.toString(rowShape));
      if (row.isNullAt(li)) throw new KilnException("a row has no label");
      if (classes) ids[r] = ((Number) row.get(li)).longValue();
      else values[r] = ((Number) row.get(li)).floatValue();
    }
    return new Dataset(HostTensor.ofFloats(x, SparkScorer.shape(n, rowShape)), classes ? HostTensor.ofLongs(ids, n) : HostTensor.ofFloats(values, n));
  }
}
