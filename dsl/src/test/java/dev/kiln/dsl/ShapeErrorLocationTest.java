package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.F32;
import dev.kiln.spec.ShapeException;
import org.junit.jupiter.api.Test;

/** A shape mistake names the op, both shapes, the axis, the block and model, and the user's own line. */
class ShapeErrorLocationTest {
  private static void assertMessage(String msg, int line, String method) {
    assertTrue(msg.startsWith("Add: "), msg);
    assertTrue(msg.contains("[batch, 64]") && msg.contains("[batch, 32]"), msg);
    assertTrue(msg.contains("axis 1: 64 vs 32"), msg);
    assertTrue(msg.contains("in block res1 of model resnetish"), msg);
    assertTrue(msg.contains("ShapeErrorLocationTest.java:" + line + ")"), "expected line " + line + " in: " + msg);
    String at = msg.substring(msg.lastIndexOf("\n  at ") + 6);
    assertTrue(at.startsWith(ShapeErrorLocationTest.class.getName() + ".lambda$" + method), at);
    assertFalse(at.contains("Tensor") || at.contains("GraphBuilder"), "the frame is the user's, not Kiln's: " + at);
  }

  @Test
  void mismatchedAddInABlockPointsAtThisLine() {
    int[] line = {-1};
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("resnetish", m -> {
      Tensor<F32> a = m.input("a", F32, "batch", 64);
      Tensor<F32> b = m.input("b", F32, "batch", 32);
      return m.block("res1", blk -> {
        line[0] = new Throwable().getStackTrace()[0].getLineNumber(); return a.add(b);
      });
    }));
    assertMessage(e.getMessage(), line[0], "mismatchedAddInABlockPointsAtThisLine");
  }

  @Test
  void mistakeInsideAUserHelperPointsAtTheHelper() {
    int[] line = {-1};
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("resnetish", m -> {
      Tensor<F32> a = m.input("a", F32, "batch", 64);
      return residual(m, a, line);
    }));
    assertMessage(e.getMessage(), line[0], "residual");
  }

  /** A user's building block with a bug: the skip connection has the wrong width. */
  private static Tensor<F32> residual(ModelBuilder m, Tensor<F32> x, int[] line) {
    return m.block("res1", blk -> {
      Tensor<F32> h = blk.linear("fc", x, 32);
      line[0] = new Throwable().getStackTrace()[0].getLineNumber(); return x.add(h);
    });
  }
}
