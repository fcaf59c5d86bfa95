package dev.kiln.interop.onnx;

import static dev.kiln.interop.onnx.Models.f32;
import static dev.kiln.interop.onnx.Models.model;
import static dev.kiln.interop.onnx.Models.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.kiln.spec.ModelFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3: while a thread swaps the model's data folder {@code sub} for a symbolic link to a folder
 * outside in a tight loop, every import either reads the file inside or is refused; none returns the outside
 * file's values. (Checking each component with isSymbolicLink before opening lost this race 159 times in 35,468.)
 */
class ExternalDataRaceTest {
  @TempDir Path root;

  private static void floats(Path p, float v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) b.putFloat(v);
    Files.write(p, b.array());
  }

  @Test void swappingAFolderForALinkNeverLeaksTheOutsideFile() throws Exception {
    Path dir = Files.createDirectories(root.resolve("model"));
    Path outside = Files.createDirectories(root.resolve("outside/sub"));
    floats(outside.resolve("w.bin"), 1234.5f);
    floats(Files.createDirectories(dir.resolve("sub")).resolve("w.bin"), 0.5f);
    TensorProto b = TensorProto.newBuilder().setName("b").setDataType(1).addDims(4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("sub/w.bin")).build();
    GraphProto g = GraphProto.newBuilder().setName("g").addInput(f32("x", 4L)).addInitializer(b)
        .addNode(node("Add", new String[] {"x", "b"}, new String[] {"y"})).addOutput(f32("y", 4L)).build();
    Path file = dir.resolve("model.onnx");
    Files.write(file, model(13, g).toByteArray());

    AtomicBoolean stop = new AtomicBoolean();
    Thread swapper = new Thread(() -> {
      Path sub = dir.resolve("sub");
      Path real = dir.resolve("sub.real");
      while (!stop.get()) {
        try {
          Files.move(sub, real, StandardCopyOption.ATOMIC_MOVE);
          Files.createSymbolicLink(sub, outside);
          Files.delete(sub);
          Files.move(real, sub, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // a step raced with nothing but itself; go on
        }
      }
    });
    swapper.start();
    int inside = 0;
    int refused = 0;
    int leaked = 0;
    try {
      for (int i = 0; i < 3000; i++) {
        try {
          float v = OnnxImporter.importFile(file, ImportOptions.defaults()).parameters().get(0).initial().toFloats()[0];
          if (v == 1234.5f) leaked++;
          else inside++;
        } catch (ModelFileException e) {
          refused++;
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertEquals(0, leaked, "imports that read the file outside the folder (" + inside + " inside, " + refused + " refused)");
    assertTrue(inside + refused == 3000);
  }
}
