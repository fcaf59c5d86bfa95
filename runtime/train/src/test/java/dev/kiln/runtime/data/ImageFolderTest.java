package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders of real PNG and JPEG files written with javax.imageio; pixel values checked by hand. */
class ImageFolderTest {
  @TempDir Path tmp;

  private static void png(Path f, int w, int h, int[] rgb) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, w, h, rgb, 0, w);
    Files.createDirectories(f.getParent());
    ImageIO.write(img, "png", f.toFile());
  }

  private static void greyPng(Path f, int w, int h, int[] levels) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, w, h, levels);
    Files.createDirectories(f.getParent());
    ImageIO.write(img, "png", f.toFile());
  }

  @Test void classesPerSubfolderInSortedOrderWithExactPixels() throws Exception {
    png(tmp.resolve("dog/b.png"), 2, 1, new int[] {0xFF0000, 0x00FF80});
    png(tmp.resolve("cat/z.png"), 2, 1, new int[] {0x000000, 0xFFFFFF});
    png(tmp.resolve("cat/a.PNG"), 2, 1, new int[] {0x102030, 0x405060});
    Files.writeString(tmp.resolve("cat/notes.txt"), "not an image");
    ImageFolder.Loaded l = ImageFolder.load(tmp, 3, 1, 2);
    assertEquals(List.of("cat", "dog"), l.classes());
    assertEquals(List.of(tmp.resolve("cat/a.PNG"), tmp.resolve("cat/z.png"), tmp.resolve("dog/b.png")), l.files());
    assertArrayEquals(new long[] {0, 0, 1}, l.data().labelValues());
    assertArrayEquals(new long[] {3, 3, 1, 2}, l.data().features().shape());
    float[] x = l.data().features().toFloats();
    // cat/a: R plane (0x10, 0x40), G (0x20, 0x50), B (0x30, 0x60), over 255.
    assertArrayEquals(new float[] {16 / 255f, 64 / 255f, 32 / 255f, 80 / 255f, 48 / 255f, 96 / 255f},
        java.util.Arrays.copyOfRange(x, 0, 6), 1e-7f);
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 128 / 255f}, java.util.Arrays.copyOfRange(x, 12, 18), 1e-7f);
  }

  @Test void greyFilesKeepTheirStoredLevelsAndResizeToTheAskedSize() throws Exception {
    greyPng(tmp.resolve("only/g.png"), 2, 2, new int[] {0, 128, 255, 64});
    float[] x = ImageFolder.load(tmp, 1, 2, 2).data().features().toFloats();
    assertArrayEquals(new float[] {0, 128 / 255f, 1, 64 / 255f}, x, 1e-7f, "levels as stored, no gamma conversion");
    float[] rgb = ImageFolder.load(tmp, 3, 2, 2).data().features().toFloats();
    assertArrayEquals(x, java.util.Arrays.copyOfRange(rgb, 8, 12), 1e-7f, "grey goes to every channel");
    // 2x2 -> 4x4 bilinear, half-pixel centres: the first row samples x at -0.25, 0.25, 0.75, 1.25 (clamped).
    float[] big = ImageFolder.load(tmp, 1, 4, 4).data().features().toFloats();
    assertArrayEquals(new float[] {0, 32 / 255f, 96 / 255f, 128 / 255f}, java.util.Arrays.copyOfRange(big, 0, 4), 1e-6f);
  }

  @Test void readsJpegAndRgbToGreyUsesLuma() throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, 0x808080);
    Files.createDirectories(tmp.resolve("a"));
    ImageIO.write(img, "jpeg", tmp.resolve("a/x.jpg").toFile());
    float[] v = ImageFolder.load(tmp, 1, 8, 8).data().features().toFloats();
    for (float f : v) assertEquals(128 / 255f, f, 2 / 255f, "a flat grey JPEG decodes to about its level");
  }

  @Test void errorsNameTheFileOrFolder() throws Exception {
    KilnException e = assertThrows(KilnException.class, () -> ImageFolder.load(tmp.resolve("nope"), 3, 4, 4));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("not a directory"), e.getMessage());
    e = assertThrows(KilnException.class, () -> ImageFolder.load(tmp, 3, 4, 4));
    assertTrue(e.getMessage().contains("no class subfolders"), e.getMessage());
    Files.createDirectories(tmp.resolve("empty"));
    e = assertThrows(KilnException.class, () -> ImageFolder.load(tmp, 3, 4, 4));
    assertTrue(e.getMessage().contains("class folder " + tmp.resolve("empty")), e.getMessage());
    Files.writeString(tmp.resolve("empty/broken.png"), "this is not a PNG");
    e = assertThrows(KilnException.class, () -> ImageFolder.load(tmp, 3, 4, 4));
    assertTrue(e.getMessage().contains(tmp.resolve("empty/broken.png").toString()), e.getMessage());
    e = assertThrows(KilnException.class, () -> ImageFolder.load(tmp, 2, 4, 4));
    assertTrue(e.getMessage().contains("channels must be 1 or 3"), e.getMessage());
  }
}
