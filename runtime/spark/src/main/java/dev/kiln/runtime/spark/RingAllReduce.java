package dev.kiln.runtime.spark;

import dev.kiln.spec.KilnException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A ring all-reduce (sum) of f32 buffers over plain TCP between W peers: each peer sends to the next and receives
 * from the previous. A reduce-scatter (W-1 rounds: send a chunk, add the received one into one's own) leaves each
 * peer with the full sum of one chunk; an all-gather (W-1 rounds: pass the finished chunks on) gives every peer every
 * finished chunk. Each peer sends and receives 2(W-1)/W of the array, whatever W is.
 *
 * <p>Every chunk is summed in one fixed order (around the ring from the peer after its owner) and then copied, so
 * every peer ends with the same bytes: what keeps data-parallel replicas bit-identical. Channels are blocking
 * {@link SocketChannel}s, so an interrupted task stops at once, and a peer that dies closes its sockets, which its
 * neighbours see as an error instead of waiting for ever.
 */
public final class RingAllReduce implements AutoCloseable {
  private final int rank;
  private final int world;
  private final ServerSocketChannel server;
  private SocketChannel next;
  private SocketChannel prev;
  private final ExecutorService sender;
  private ByteBuffer in = ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
  private float[] mine = new float[0];
  private float[] theirs = new float[0];
  private long bytesSent;
  private long nanos;

  /** Opens this peer's listening socket on {@code bindHost} (an ephemeral port); {@link #port()} tells the others. */
  public RingAllReduce(int rank, int world, String bindHost) {
    if (world < 1 || rank < 0 || rank >= world) throw new KilnException("ring: rank " + rank + " of " + world);
    this.rank = rank;
    this.world = world;
    try {
      this.server = world == 1 ? null : ServerSocketChannel.open().bind(new InetSocketAddress(bindHost, 0));
    } catch (IOException e) {
      throw new UncheckedIOException("ring: cannot listen on " + bindHost, e);
    }
    this.sender = world == 1 ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kiln-ring-send-" + rank);
      t.setDaemon(true);
      return t;
    });
  }

  /** The port this peer listens on (0 alone). */
  public int port() { return server == null ? 0 : ((InetSocketAddress) socketAddress()).getPort(); }

  private java.net.SocketAddress socketAddress() {
    try {
      return server.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Connects the ring: {@code addresses.get(r)} is peer r's {@code host:port}. Peer r connects to r+1 and accepts
   * r-1; the first message on each connection is the sender's rank, checked.
   */
  public void connect(List<String> addresses) {
    if (world == 1) return;
    if (addresses.size() != world) throw new KilnException("ring: " + addresses.size() + " addresses for " + world + " peers");
    try {
      String[] hp = addresses.get((rank + 1) % world).split(":");
      next = SocketChannel.open(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
      next.socket().setTcpNoDelay(true);
      ByteBuffer hello = ByteBuffer.allocate(4).putInt(0, rank);
      while (hello.hasRemaining()) next.write(hello);
      prev = server.accept();
      prev.socket().setTcpNoDelay(true);
      ByteBuffer who = ByteBuffer.allocate(4);
      readFully(prev, who);
      int from = who.getInt(0);
      if (from != (rank + world - 1) % world) throw new KilnException("ring: peer " + rank + " expected peer " + (rank + world - 1) % world + ", got " + from);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("ring: peer " + rank + " cannot connect to " + addresses, e);
    }
  }

  /**
   * Replaces the floats in {@code data} (little-endian f32 from index 0 to its limit; every peer passes the same
   * length) by their sum over all peers. Chunks are sent straight from {@code data} and the all-gather receives
   * straight into it; only the reduce-scatter's incoming chunk passes through a buffer, to be added in place. With
   * a direct buffer, no float leaves native memory on its way between the socket and the replica.
   */
  public void sum(ByteBuffer data) {
    if (world == 1) return;
    if (data.order() != ByteOrder.LITTLE_ENDIAN) throw new KilnException("ring: the buffer must be little-endian");
    long t0 = System.nanoTime();
    int n = data.limit() / 4;
    int maxChunk = (n + world - 1) / world;
    if (in.capacity() < maxChunk * 4) in = ByteBuffer.allocateDirect(maxChunk * 4).order(ByteOrder.LITTLE_ENDIAN);
    try {
      // Reduce-scatter: in round s, send chunk (rank - s) and add the received chunk (rank - s - 1).
      for (int s = 0; s < world - 1; s++) {
        exchange(data, n, mod(rank - s), mod(rank - s - 1), true);
      }
      // All-gather: peer r now holds the whole sum of chunk r + 1; pass the finished chunks around.
      for (int s = 0; s < world - 1; s++) {
        exchange(data, n, mod(rank + 1 - s), mod(rank - s), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ring all-reduce: peer " + rank + " of " + world + " lost a neighbour", e);
    } finally {
      nanos += System.nanoTime() - t0;
    }
  }

  /**
   * Every peer's {@code value}, indexed by rank: W-1 rounds, each passing on the value received in the last one.
   * NOTE: over the ring rather than Spark's {@code BarrierTaskContext.allGather}, a round trip through the driver
   * that took ~0.8 s a call here (16 ms a step at one check every 50 steps: the largest cost of a step in the MLP bench).
   */
  public long[] gather(long value) {
    long[] all = new long[world];
    all[rank] = value;
    if (world == 1) return all;
    ByteBuffer one = ByteBuffer.allocate(8);
    ByteBuffer got = ByteBuffer.allocate(8);
    try {
      long passing = value;
      for (int s = 0; s < world - 1; s++) {
        one.clear();
        one.putLong(0, passing);
        Future<?> sent = sender.submit(() -> {
          while (one.hasRemaining()) next.write(one);
          return null;
        });
        got.clear();
        readFully(prev, got);
        passing = got.getLong(0);
        all[mod(rank - 1 - s)] = passing;
        await(sent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("ring gather: peer " + rank + " of " + world + " lost a neighbour", e);
    }
    return all;
  }

  private static void await(Future<?> sent) throws IOException {
    try {
      sent.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  private int mod(int c) { return ((c % world) + world) % world; }

  private int from(int n, int c) { return (int) ((long) c * n / world); }

  private void exchange(ByteBuffer data, int n, int sendChunk, int recvChunk, boolean add) throws IOException {
    int s0 = from(n, sendChunk);
    int s1 = from(n, sendChunk + 1);
    int r0 = from(n, recvChunk);
    int r1 = from(n, recvChunk + 1);
    // NOTE: the sender thread reads the send chunk while this thread writes the receive chunk: different chunks.
    ByteBuffer out = data.duplicate().limit(s1 * 4).position(s0 * 4);
    Future<?> sent = sender.submit(() -> {
      while (out.hasRemaining()) next.write(out);
      return null;
    });
    if (add) {
      in.clear();
      in.limit((r1 - r0) * 4);
      readFully(prev, in);
      // Bulk copies around a plain loop the JIT vectorises: element-wise buffer accesses took most of a 1 MB sum.
      int len = r1 - r0;
      if (mine.length < len) {
        mine = new float[len];
        theirs = new float[len];
      }
      java.nio.FloatBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asFloatBuffer();
      d.get(r0, mine, 0, len);
      in.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asFloatBuffer().get(0, theirs, 0, len);
      for (int i = 0; i < len; i++) mine[i] += theirs[i];
      d.put(r0, mine, 0, len);
    } else {
      readFully(prev, data.duplicate().limit(r1 * 4).position(r0 * 4));
    }
    await(sent);
    bytesSent += (s1 - s0) * 4L;
  }

  private static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (c.read(b) < 0) throw new EOFException("the neighbour closed the connection");
    }
  }

  /** Bytes this peer has sent in {@link #sum} so far. */
  public long bytesSent() { return bytesSent; }

  /** Seconds this peer has spent in {@link #sum} so far (waiting for slower peers included). */
  public double seconds() { return nanos / 1e9; }

  @Override public void close() {
    for (java.io.Closeable c : new java.io.Closeable[] {next, prev, server}) {
      try {
        if (c != null) c.close();
      } catch (IOException ignored) {
        // closing on the way out: nothing more to do
      }
    }
    if (sender != null) sender.shutdownNow();
  }
}
