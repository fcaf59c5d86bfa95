package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * An image classification dataset from a folder with one subfolder per class, as torchvision's
 * {@code ImageFolder} reads it: {@code root/cat/1.png, root/dog/a.jpg, ...}. Classes are the subfolder names
 * in sorted order (class id = position), images are PNG or JPEG files ({@code .png .jpg .jpeg}, any case; other
 * files and hidden ones are skipped) in sorted name order, so the order is the same on every machine.
 * Pixels become f32 in [0, 1], [N, C, H, W], labels i64 [N]; every image is converted to {@code channels}
 * (1: grey as ITU-R 601 luma, 3: RGB; alpha dropped) and resized bilinearly to {@code height} x {@code
 * width} when it has another size. Read with {@code javax.imageio}.
 */
public final class ImageFolder {
  private ImageFolder() {}

  /** The dataset, its class names (index = label) and the file of each example. */
  public record Loaded(Dataset data, List<String> classes, List<Path> files) {}

  /** Reads {@code root} into one in-memory dataset of {@code channels} x {@code height} x {@code width} images. */
  public static Loaded load(Path root, int channels, int height, int width) {
    if (channels != 1 && channels != 3) throw new KilnException("image folder channels must be 1 or 3, got " + channels);
    Transforms.positive("image folder", height, width);
    if (!Files.isDirectory(root)) throw new KilnException("image folder " + root + " is not a directory");
    List<String> classes = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Long> labels = new ArrayList<>();
    for (Path dir : sorted(root)) {
      if (!Files.isDirectory(dir)) continue;
      List<Path> images = sorted(dir).stream().filter(ImageFolder::isImage).toList();
      if (images.isEmpty()) throw new KilnException("class folder " + dir + " has no .png, .jpg or .jpeg images");
      for (Path f : images) {
        files.add(f);
        labels.add((long) classes.size());
      }
      classes.add(dir.getFileName().toString());
    }
    if (classes.isEmpty()) throw new KilnException("image folder " + root + " has no class subfolders (expected root/CLASS/IMAGE.png)");
    int plane = height * width;
    float[] pixels = new float[Math.multiplyExact(files.size(), channels * plane)];
    for (int i = 0; i < files.size(); i++) decode(files.get(i), channels, height, width, pixels, i * channels * plane);
    long[] y = labels.stream().mapToLong(Long::longValue).toArray();
    Dataset d = new Dataset(HostTensor.ofFloats(pixels, files.size(), channels, height, width), HostTensor.ofLongs(y, y.length));
    return new Loaded(d, List.copyOf(classes), List.copyOf(files));
  }

  /** Decodes {@code file} into {@code out} at {@code off}: channels planes of height x width. */
  static void decode(Path file, int channels, int height, int width, float[] out, int off) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new KilnException("cannot read image " + file + ": " + e.getMessage());
    }
    if (img == null) throw new KilnException("image " + file + " is not a PNG or JPEG that javax.imageio can decode");
    int h = img.getHeight();
    int w = img.getWidth();
    float[] raw = new float[channels * h * w];
    // NOTE: getRGB treats grey PNGs as linear grey and gamma-converts them to sRGB (128 would read as 187):
    // grey images are read from the raster's samples as stored.
    java.awt.image.Raster raster = img.getRaster();
    boolean grey = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    double greyMax = (1 << img.getColorModel().getComponentSize(0)) - 1;
    for (int yy = 0; yy < h; yy++) {
      for (int xx = 0; xx < w; xx++) {
        double r;
        double g;
        double b;
        if (grey) {
          r = g = b = raster.getSample(xx, yy, 0) / greyMax;
        } else {
          int rgb = img.getRGB(xx, yy);  // colour and palette images as 8-bit sRGB
          r = ((rgb >> 16) & 0xFF) / 255.0;
          g = ((rgb >> 8) & 0xFF) / 255.0;
          b = (rgb & 0xFF) / 255.0;
        }
        int p = yy * w + xx;
        if (channels == 1) {
          raw[p] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
        } else {
          raw[p] = (float) r;
          raw[h * w + p] = (float) g;
          raw[2 * h * w + p] = (float) b;
        }
      }
    }
    for (int c = 0; c < channels; c++) {
      if (h == height && w == width) System.arraycopy(raw, c * h * w, out, off + c * h * w, h * w);
      else Pixels.resize(raw, c * h * w, h, w, out, off + c * height * width, height, width);
    }
  }

  private static boolean isImage(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(f) && !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static List<Path> sorted(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new KilnException("cannot list " + dir + ": " + e.getMessage());
    }
  }
}
