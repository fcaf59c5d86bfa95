package dev.kiln.runtime.spark;

import dev.kiln.spec.KilnException;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Reads a row's features from the column types Spark users hold them in: {@code array<float>}, {@code array<double>},
 * or an ML {@code Vector}, dense or sparse. NOTE: Kiln does not depend on Spark MLlib (it is not needed for anything
 * else, and not in this build's offline repository). A Vector column is read either as its user-defined type
 * (MLlib on the class path: the value's own {@code toArray()}, found by reflection), or as the struct the type is
 * stored as ({@code struct<type: tinyint, size: int, indices: array<int>, values: array<double>>}: type 0 sparse,
 * 1 dense), which is what a Parquet file written by Spark ML reads back as without MLlib.
 */
final class FeatureColumn {
  private FeatureColumn() {}

  /** The Vector UDT's storage struct, field by field. */
  static final StructType VECTOR_STRUCT = new StructType(new StructField[] {
      DataTypes.createStructField("type", DataTypes.ByteType, false),
      DataTypes.createStructField("size", DataTypes.IntegerType, true),
      DataTypes.createStructField("indices", DataTypes.createArrayType(DataTypes.IntegerType, false), true),
      DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.DoubleType, false), true)});

  /** The column types {@link #read} takes, for messages. */
  static final String ACCEPTED = "array<float>, array<double> or an ML Vector";

  /** Whether {@link #read} takes a column of type {@code t}. */
  static boolean accepts(DataType t) {
    if (t instanceof ArrayType a) return a.elementType() == DataTypes.FloatType || a.elementType() == DataTypes.DoubleType;
    if (t instanceof UserDefinedType<?> u) return isVector(u);
    return t instanceof StructType s && vectorStruct(s);
  }

  private static boolean isVector(UserDefinedType<?> u) {
    String name = u.userClass().getName();
    return name.equals("org.apache.spark.ml.linalg.Vector") || name.equals("org.apache.spark.mllib.linalg.Vector");
  }

  private static boolean vectorStruct(StructType s) {
    StructField[] f = s.fields();
    StructField[] want = VECTOR_STRUCT.fields();
    if (f.length != want.length) return false;
    for (int i = 0; i < f.length; i++) {
      if (!f[i].name().equals(want[i].name()) || !f[i].dataType().sameType(want[i].dataType())) return false;
    }
    return true;
  }

  /**
   * Writes column {@code col} of {@code row} (a column {@link #accepts}) into {@code x[at .. at + len)}; {@code what}
   * names the model input for the message when the row has another number of values.
   */
  static void read(Row row, int col, float[] x, int at, int len, String what) {
    if (row.isNullAt(col)) throw new KilnException("row features have no value; " + what);
    Object v = row.get(col);
    if (v instanceof Row s) {
      readStruct(s, x, at, len, what);
    } else if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
      List<?> f = list(v);
      if (f.size() != len) throw new KilnException("row features have " + f.size() + " values; " + what);
      for (int k = 0; k < len; k++) x[at + k] = ((Number) f.get(k)).floatValue();
    } else {
      double[] d = vectorValues(v);
      if (d.length != len) throw new KilnException("row feature vector has " + d.length + " values; " + what);
      for (int k = 0; k < len; k++) x[at + k] = (float) d[k];
    }
  }

  /** A Spark array value as a list (rows from a DataFrame hold Scala sequences; rows built by hand, Java lists). */
  private static List<?> list(Object v) {
    if (v instanceof List<?> l) return l;
    if (v instanceof scala.collection.Seq<?> q) return scala.jdk.javaapi.CollectionConverters.asJava(q);
    throw new KilnException("expected an array value, got " + (v == null ? "null" : v.getClass().getName()));
  }

  private static void readStruct(Row s, float[] x, int at, int len, String what) {
    List<?> values = list(s.get(3));
    if (s.getByte(0) == 1) {
      if (values.size() != len) throw new KilnException("row dense feature vector has " + values.size() + " values; " + what);
      for (int k = 0; k < len; k++) x[at + k] = ((Number) values.get(k)).floatValue();
      return;
    }
    int size = s.getInt(1);
    if (size != len) throw new KilnException("row sparse feature vector has size " + size + "; " + what);
    List<?> indices = list(s.get(2));
    if (indices.size() != values.size()) {
      throw new KilnException("a row's sparse feature vector has " + indices.size() + " indices but " + values.size() + " values");
    }
    java.util.Arrays.fill(x, at, at + len, 0f);
    for (int k = 0; k < indices.size(); k++) {
      int i = ((Number) indices.get(k)).intValue();
      if (i < 0 || i >= size) throw new KilnException("a row's sparse feature vector has index " + i + " outside its size " + size);
      x[at + i] = ((Number) values.get(k)).floatValue();
    }
  }

  /** An ML Vector's values, dense: its {@code toArray()} (sparse vectors fill in their zeros). */
  private static double[] vectorValues(Object vector) {
    try {
      return (double[]) vector.getClass().getMethod("toArray").invoke(vector);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new KilnException("cannot read a feature value of " + vector.getClass().getName() + " (expected " + ACCEPTED + ")", e);
    }
  }
}
