package dev.kiln.runtime.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Starting Spark for Kiln: an embedded {@code local[N]} session (nothing to install) or a cluster's master URL
 * ({@code spark://host:7077}), with the same code either way.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** An embedded Spark with {@code threads} task slots, its web UI off, bound to the loopback address. */
  public static JavaSparkContext local(int threads) { return context(session("local[" + threads + "]")); }

  /**
   * A session on {@code master} ({@code local[2]}, {@code spark://host:7077}, ...), reusing the running one when there
   * is one. For {@code local} masters the driver binds to 127.0.0.1 and the web UI stays off.
   */
  public static SparkSession session(String master) {
    SparkSession.Builder b = SparkSession.builder().appName("kiln").master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false");
    if (master.startsWith("local")) {
      b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession s = b.getOrCreate();
    s.sparkContext().setLogLevel("WARN");
    return s;
  }

  /** The Java view of {@code session}'s context. */
  public static JavaSparkContext context(SparkSession session) { return JavaSparkContext.fromSparkContext(session.sparkContext()); }
}
