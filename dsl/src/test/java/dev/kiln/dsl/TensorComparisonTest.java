package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.F64;
import static dev.kiln.dsl.DTypes.I32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.Bool;
import dev.kiln.dsl.types.F32;
import dev.kiln.dsl.types.I64;
import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison and selection methods of {@link Tensor} and {@link ModelBuilder#where}: ops, dtypes, shapes. */
class TensorComparisonTest {
  @Test
  void comparisonsGiveBoolAndSelectionKeepsDType() {
    Model model = Model.build("cmp", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4);
      Tensor<F32> b = m.input("b", F32, 4);
      Tensor<Bool> gt = x.greater(b);
      assertEquals(DType.BOOL, gt.dtype());
      assertEquals(Shape.parse("batch", 4), gt.shape());
      assertEquals(DType.BOOL, x.less(0).dtype());
      assertEquals(DType.BOOL, x.equal(b).dtype());
      Tensor<F32> y = ModelBuilder.where(gt, x.maximum(b).minimum(1), x.clip(-1, 1).maximum(0.5).minimum(b));
      assertEquals(Shape.parse("batch", 4), y.shape());
      return y;
    });
    List<String> ops = model.graph().nodes().stream().map(n -> n.op().name()).toList();
    for (String op : List.of("Greater", "Less", "Equal", "Where", "Maximum", "Minimum", "Clip")) {
      assertTrue(ops.contains(op), op + " missing from " + ops);
    }
    Node clip = model.graph().nodes().stream().filter(n -> n.op().name().equals("Clip")).findFirst().orElseThrow();
    assertEquals(-1.0, clip.attrs().getDouble("min"));
    assertEquals(1.0, clip.attrs().getDouble("max"));
  }

  @Test
  void argMaxAndOneHot() {
    Model.build("idx", m -> {
      Tensor<F32> logits = m.input("logits", F32, "batch", 10);
      Tensor<I64> cls = logits.argMax(-1);
      assertEquals(DType.I64, cls.dtype());
      assertEquals(Shape.parse("batch"), cls.shape());
      assertEquals(Shape.parse("batch", 1), logits.argMax(1, true).shape());
      Tensor<F32> hot = cls.oneHot(10);
      assertEquals(DType.F32, hot.dtype());
      assertEquals(Shape.parse("batch", 10), hot.shape());
      assertEquals(DType.F64, m.input("labels", I32, 3).oneHot(4, F64).dtype());
      return hot;
    });
  }

  @Test
  void oneHotOfFloatsIsRefused() {
    KilnException e = assertThrows(KilnException.class, () -> Model.build("bad", m -> m.input("x", F32, 3).oneHot(4)));
    assertTrue(e.getMessage().contains("oneHot needs an i32 or i64 tensor of indices"), e.getMessage());
  }
}
