package dev.kiln.runtime.data;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.ModelFileException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fashion-MNIST (Zalando): 60000 training and 10000 test greyscale 28x28 images of 10 clothing
 * classes, read from the four IDX files ({@code train-images-idx3-ubyte[.gz]}, {@code
 * train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}).
 * Features are f32 scaled to [0, 1]; labels are i64 class ids.
 */
public final class FashionMnist {
  /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private final Dataset train;
  private final Dataset test;

  private FashionMnist(Dataset train, Dataset test) {
    this.train = train;
    this.test = test;
  }

  /** Loads from {@link #DEFAULT_DIR}, features flat [N, 784]. */
  public static FashionMnist load() { return load(DEFAULT_DIR, false); }

  /** Loads from {@code dir}, features flat [N, 784]. */
  public static FashionMnist load(Path dir) { return load(dir, false); }

  /** Loads from {@code dir}; features [N, 1, 28, 28] when {@code asImages}, else [N, 784]. */
  public static FashionMnist load(Path dir, boolean asImages) {
    checkDir(dir);
    // NOTE: the test split is decoded on another thread while this one decodes the training split (gzip
    // inflation is sequential within a file, so two files are the parallelism there is).
    CompletableFuture<Dataset> test = CompletableFuture.supplyAsync(() -> split(dir, "t10k", asImages, Integer.MAX_VALUE), FashionMnist::daemon);
    Dataset train = split(dir, "train", asImages, Integer.MAX_VALUE);
    try {
      return new FashionMnist(train, test.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  /**
   * Only the 60000 training examples from {@code dir} (the test files are not read); features [N, 1, 28, 28] when
   * {@code asImages}, else [N, 784].
   */
  public static Dataset train(Path dir, boolean asImages) {
    return train(dir, asImages, Integer.MAX_VALUE);
  }

  /**
   * The first {@code limit} training examples (all 60000 when {@code limit} is larger): the files are read and
   * checked whole, but only those examples are converted to f32, so a small run does not hold the whole set.
   */
  public static Dataset train(Path dir, boolean asImages, int limit) {
    if (limit < 1) throw new KilnException("the number of Fashion-MNIST examples must be at least 1, got " + limit);
    checkDir(dir);
    return split(dir, "train", asImages, limit);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "kiln-fashion-mnist-read");
    t.setDaemon(true);
    t.start();
  }

  private static void checkDir(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new KilnException("Fashion-MNIST folder " + dir + " does not exist: install the Debian package "
          + "dataset-fashion-mnist (apt-get install dataset-fashion-mnist, files in " + DEFAULT_DIR
          + ") or pass --data DIR naming a folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
          + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz");
    }
  }

  /** The 60000 training examples. */
  public Dataset train() { return train; }

  /** The 10000 test examples. */
  public Dataset test() { return test; }

  /** The class names, index = label. */
  public List<String> classNames() { return CLASS_NAMES; }

  private static Dataset split(Path dir, String prefix, boolean asImages, int limit) {
    HostTensor images = Idx.read(find(dir, prefix + "-images-idx3-ubyte"));
    HostTensor labels = Idx.read(find(dir, prefix + "-labels-idx1-ubyte"));
    long[] s = images.shape();
    if (images.dtype() != DType.U8 || s.length != 3 || s[1] != 28 || s[2] != 28) {
      throw new ModelFileException(prefix + " images must be u8 [N, 28, 28], found " + images.type());
    }
    if (labels.dtype() != DType.U8 || labels.rank() != 1 || labels.shape()[0] != s[0]) {
      throw new ModelFileException(prefix + " labels must be u8 [" + s[0] + "], found " + labels.type());
    }
    long n = Math.min(s[0], limit);
    long[] shape = asImages ? new long[] {n, 1, 28, 28} : new long[] {n, 28 * 28};
    Dataset d = new Dataset(scaled(images, shape), widened(labels, (int) n));
    d.checkLabels(CLASS_NAMES.size());
    return d;
  }

  private static Path find(Path dir, String base) {
    for (String name : new String[] {base + ".gz", base}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) return p;
    }
    throw new KilnException("Fashion-MNIST file " + base + "(.gz) is missing from " + dir
        + ": install the Debian package dataset-fashion-mnist or pass --data DIR naming a complete copy");
  }

  /** f32 value of each u8 pixel, {@code p / 255f}: a table, so the conversion is one load per pixel. */
  private static final float[] SCALE = new float[256];

  static {
    for (int i = 0; i < 256; i++) SCALE[i] = i / 255f;
  }

  /**
   * u8 pixels to f32 in [0, 1], in chunks through a float[] into one little-endian buffer that the tensor adopts
   * (no second copy of the 188 MB training set; issue 22's memory).
   */
  private static HostTensor scaled(HostTensor u8, long[] shape) {
    ByteBuffer src = u8.buffer();
    int n = Math.toIntExact(HostTensor.count(shape));
    ByteBuffer dst = ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer out = dst.asFloatBuffer();
    byte[] in = new byte[1 << 16];
    float[] chunk = new float[in.length];
    for (int done = 0; done < n; ) {
      int len = Math.min(in.length, n - done);
      src.get(in, 0, len);
      for (int i = 0; i < len; i++) chunk[i] = SCALE[in[i] & 0xff];
      out.put(chunk, 0, len);
      done += len;
    }
    return HostTensor.adopt(DType.F32, shape, dst);
  }

  private static HostTensor widened(HostTensor u8, int n) {
    ByteBuffer src = u8.buffer();
    long[] v = new long[n];
    for (int i = 0; i < v.length; i++) v[i] = src.get(i) & 0xff;
    return HostTensor.ofLongs(v, v.length);
  }
}
