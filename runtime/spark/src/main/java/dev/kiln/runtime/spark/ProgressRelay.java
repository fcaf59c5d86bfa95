package dev.kiln.runtime.spark;

import dev.kiln.runtime.train.DataParallelReplica;
import dev.kiln.runtime.train.ProgressReporter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The training progress bar on the driver, whatever the cluster: replica 0 sends one short line per epoch start,
 * global step and epoch end to a socket the driver listens on ({@link Sender}), and the driver draws them with the
 * recipe's {@link ProgressReporter}, the same bar as single-process training. The figures are the global batch's
 * (the all-reduce already summed the loss and metric over the workers), so the bar is aggregated across workers.
 * NOTE: a side channel rather than a Spark accumulator: executors report accumulators only with their heartbeats
 * (every 10 s by default), too rarely for a bar. Progress is best effort: a replica that cannot reach the driver
 * trains on without it.
 */
final class ProgressRelay implements AutoCloseable {
  private final ServerSocket server;
  private final ProgressReporter bar;
  private final Thread reader;
  private volatile boolean closed;

  private ProgressRelay(ServerSocket server, ProgressReporter bar) {
    this.server = server;
    this.bar = bar;
    this.reader = new Thread(this::serve, "kiln-spark-progress");
    reader.setDaemon(true);
  }

  /** Listens on {@code host} (the driver's address as the executors know it), drawing on {@code bar}. */
  static ProgressRelay start(String host, ProgressReporter bar) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(host, 0));
      ProgressRelay r = new ProgressRelay(s, bar);
      r.reader.start();
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for training progress on " + host, e);
    }
  }

  /** {@code host:port} for the replicas. */
  String address() { return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort(); }

  /** One connection per stage attempt (a retried stage connects again), read until replica 0 closes it. */
  private void serve() {
    while (!closed) {
      try (Socket s = server.accept();
           BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) draw(line.split(" "));
      } catch (IOException | RuntimeException e) {
        // closed, or a replica that died mid-line: the next attempt connects again
      }
    }
  }

  private void draw(String[] m) {
    switch (m[0]) {
      case "E" -> bar.startEpoch(Integer.parseInt(m[1]), Integer.parseInt(m[2]), Integer.parseInt(m[3]));
      case "S" -> bar.step(Integer.parseInt(m[1]), Double.parseDouble(m[2]), Double.parseDouble(m[3]));
      case "X" -> bar.endEpoch();
      default -> { }
    }
  }

  /** Stops listening once replica 0's last lines are drawn. */
  @Override public void close() {
    closed = true;
    try {
      server.close();
      reader.join(10_000);
    } catch (IOException ignored) {
      // closing on the way out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Replica 0's end: forwards what the replica sees to the driver's relay. */
  static final class Sender implements DataParallelReplica.Listener, AutoCloseable {
    private final Socket socket;
    private final PrintWriter out;
    private static final long FLUSH_NANOS = 200_000_000L;
    private long lastFlush = System.nanoTime();

    private Sender(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), false);
    }

    /** Connects to {@code address} ({@link #address()}); null when it cannot (training goes on without a bar). */
    static Sender connect(String address) {
      int colon = address.lastIndexOf(':');
      try {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 10_000);
        s.setTcpNoDelay(true);
        return new Sender(s);
      } catch (IOException | RuntimeException e) {
        System.err.println("kiln: no progress bar on the driver: cannot reach " + address + " (" + e.getMessage() + ")");
        return null;
      }
    }

    @Override public void onEpochStart(int epoch, int epochs, int steps) { send("E " + epoch + " " + epochs + " " + steps, true); }

    @Override public void onStep(long step, int epoch, int k, int examples, double loss, double metric) {
      send(String.format(Locale.ROOT, "S %d %s %s", examples, Double.toString(loss), Double.toString(metric)), false);
    }

    @Override public void onEpochEnd() { send("X", true); }

    /** NOTE: step lines go out at most every 200 ms (the bar's own redraw interval): a flush a step cost ~2 ms under load. */
    private void send(String line, boolean now) {
      out.print(line);
      out.print('\n');
      long t = System.nanoTime();
      if (now || t - lastFlush >= FLUSH_NANOS) {
        out.flush();
        lastFlush = t;
      }
    }

    @Override public void close() {
      out.close();
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing on the way out
      }
    }
  }
}
