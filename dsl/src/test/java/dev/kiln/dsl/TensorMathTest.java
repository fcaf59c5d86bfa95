package dev.kiln.dsl;

import static dev.kiln.dsl.DTypes.F32;
import static dev.kiln.dsl.DTypes.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.dsl.types.F32;
import dev.kiln.spec.DType;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ShapeException;
import dev.kiln.spec.ir.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic, activation and reduction methods of {@link Tensor}: the ops they build and their shapes. */
class TensorMathTest {
  @Test
  void elementwiseChainKeepsShape() {
    Model model = Model.build("chain", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 4);
      Tensor<F32> y = x.sub(1).mul(2).div(x.add(3)).pow(2).neg().abs().exp().log().sqrt();
      Tensor<F32> z = y.sigmoid().tanh().leakyRelu().leakyRelu(0.2).sub(x).mul(x).div(x).pow(x);
      assertEquals(Shape.parse("batch", 4), z.shape());
      return z;
    });
    List<String> ops = model.graph().nodes().stream().map(n -> n.op().name()).toList();
    for (String op : List.of("Sub", "Mul", "Div", "Pow", "Neg", "Abs", "Exp", "Log", "Sqrt", "Sigmoid", "Tanh", "LeakyRelu")) {
      assertTrue(ops.contains(op), op + " missing from " + ops);
    }
    Node leaky = model.graph().nodes().stream().filter(n -> n.op().name().equals("LeakyRelu")).toList().get(1);
    assertEquals(0.2, leaky.attrs().getDouble("alpha"));
  }

  @Test
  void softmaxAndReductionsShapes() {
    Model.build("reduce", m -> {
      Tensor<F32> x = m.input("x", F32, "batch", 3, 5);
      assertEquals(Shape.parse("batch", 3, 5), x.softmax().shape());
      assertEquals(Shape.parse("batch", 3, 5), x.logSoftmax(1).shape());
      assertEquals(Shape.parse("batch", 1, 5), x.sum(1).shape());
      assertEquals(Shape.parse("batch", 5), x.sum(false, -2).shape());
      assertEquals(Shape.parse(1, 1, 1), x.mean().shape());
      assertEquals(Shape.parse(), x.mean(false).shape());
      assertEquals(Shape.parse("batch"), x.max(false, 1, 2).shape());
      Tensor<?> counts = x.max(false, 2).cast(I64);
      assertEquals(DType.I64, counts.dtype());
      assertEquals(Shape.parse("batch", 3), counts.shape());
      return x.softmax(1).mean(false, 0);
    });
  }

  @Test
  void badAxisIsReportedAtTheCallersLine() {
    ShapeException e = assertThrows(ShapeException.class, () -> Model.build("bad", m -> {
      Tensor<F32> x = m.input("x", F32, 2, 3);
      return x.sum(1, -1);
    }));
    assertTrue(e.getMessage().startsWith("ReduceSum: axes [1, -1] name axis 1 twice"), e.getMessage());
    assertTrue(e.getMessage().contains("TensorMathTest.java:"), e.getMessage());
  }
}
