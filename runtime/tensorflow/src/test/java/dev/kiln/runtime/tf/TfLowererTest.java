package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.Shape;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.UnsupportedOpException;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.AttrSpec.AttrKind;
import dev.kiln.spec.op.Elementwise;
import dev.kiln.spec.op.Onnx;
import dev.kiln.spec.op.OnnxLowering;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.Signature;
import dev.kiln.spec.op.TfLowering;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;

/** The lowering machinery itself, with test-only ops that exercise each kind of TF declaration. */
class TfLowererTest {
  /** Sum over axes given as an attribute, lowered to TF's Sum, which takes the axes as a tensor input. */
  static final class SumAxes extends Op {
    @Override public String summary() { return "test: sum over axes"; }

    @Override public Signature signature() {
      return Signature.inputs("x").required("axes", AttrKind.INTS, "axes").attr("keepdims", AttrKind.BOOL, false, "keep");
    }

    @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) {
      List<Dim> out = new ArrayList<>();
      long[] axes = attrs.getLongs("axes");
      for (int i = 0; i < in.get(0).rank(); i++) {
        final int k = i;
        boolean reduced = java.util.Arrays.stream(axes).anyMatch(a -> a == k);
        if (!reduced) out.add(in.get(0).shape().dim(i));
        else if (attrs.getBool("keepdims")) out.add(Dim.of(1));
      }
      return List.of(new TensorType(in.get(0).dtype(), Shape.of(out)));
    }

    @Override public OnnxLowering onnx() { return Onnx.unsupported("test op"); }

    @Override public TfLowering tf() { return TfLowering.op("Sum").attrAsInput("axes", DType.I64).attr("keepdims", "keep_dims"); }
  }

  /** Declared unsupported on TF. */
  static final class NoTf extends Elementwise {
    @Override public String summary() { return "test: unsupported"; }

    @Override public OnnxLowering onnx() { return Onnx.unsupported("test op"); }

    @Override public TfLowering tf() { return TfLowering.unsupported("no kernel for it"); }
  }

  static final class NoTfEither extends Elementwise {
    @Override public String summary() { return "test: unsupported too"; }

    @Override public OnnxLowering onnx() { return Onnx.unsupported("test op"); }

    @Override public TfLowering tf() { return TfLowering.unsupported("not yet"); }
  }

  static final class UnknownTfOp extends Elementwise {
    @Override public String summary() { return "test: names a TF op that does not exist"; }

    @Override public OnnxLowering onnx() { return Onnx.unsupported("test op"); }

    @Override public TfLowering tf() { return TfLowering.op("NoSuchTfOp"); }
  }

  /** LeakyRelu with its {@code alpha} mapped from an IR attribute through a converter (percent to factor). */
  static final class LeakyPercent extends Op {
    @Override public String summary() { return "test: leaky relu, slope in percent"; }

    @Override public Signature signature() { return Signature.inputs("x").attr("percent", AttrKind.FLOAT, 1.0, "slope %"); }

    @Override public List<TensorType> inferTypes(List<TensorType> in, Attrs attrs) { return List.of(in.get(0)); }

    @Override public OnnxLowering onnx() { return Onnx.unsupported("test op"); }

    @Override public TfLowering tf() {
      return TfLowering.op("LeakyRelu").attr("percent", "alpha", v -> ((Double) v) / 100);
    }
  }

  @Test
  void attributesBecomeInputsAndMappedAttributes() {
    GraphBuilder g = new GraphBuilder("sum");
    Value x = g.input("x", TensorType.of(DType.F32, 2, 3));
    g.output("keep", g.apply(new SumAxes(), List.of(x), Attrs.of("axes", new long[] {1}, "keepdims", true)).get(0));
    g.output("drop", g.apply(new SumAxes(), List.of(x), Attrs.of("axes", new long[] {0, 1})).get(0));
    g.output("leaky", g.apply(new LeakyPercent(), List.of(x), Attrs.of("percent", 10.0)).get(0));
    try (TfModel m = TfModel.load(g.build())) {
      Map<String, HostTensor> out = m.run(Map.of("x", HostTensor.ofFloats(new float[] {1, 2, 3, -4, 5, 6}, 2, 3)));
      assertEquals(HostTensor.ofFloats(new float[] {6, 7}, 2, 1), out.get("keep"));
      assertEquals(HostTensor.ofFloats(new float[] {13}), out.get("drop"));
      assertArrayEquals(new float[] {1, 2, 3, -0.4f, 5, 6}, out.get("leaky").toFloats(), 1e-7f);
    }
  }

  @Test
  void everyUnsupportedOpIsListedAtOnce() {
    GraphBuilder g = new GraphBuilder("bad");
    Value x = g.input("x", TensorType.of(DType.F32, 2));
    Value y = g.apply(new NoTf(), List.of(x), Attrs.EMPTY).get(0);
    Value z = g.apply(new NoTfEither(), List.of(y), Attrs.EMPTY).get(0);
    g.output("z", Ops.relu(g, z));
    UnsupportedOpException e = assertThrows(UnsupportedOpException.class, () -> TfModel.load(g.build()));
    assertTrue(e.getMessage().contains("NoTf (no kernel for it), NoTfEither (not yet)"), e.getMessage());
    assertTrue(!e.getMessage().contains("Relu"), e.getMessage());
  }

  @Test
  void aLoweringNamingAMissingTfOpIsAMistakeNotUnsupported() {
    GraphBuilder g = new GraphBuilder("typo");
    Value x = g.input("x", TensorType.of(DType.F32, 2));
    g.output("y", g.apply(new UnknownTfOp(), List.of(x), Attrs.EMPTY).get(0));
    KilnException e = assertThrows(KilnException.class, () -> TfModel.load(g.build()));
    assertTrue(!(e instanceof UnsupportedOpException), e.toString());
    assertTrue(e.getMessage().contains("UnknownTfOp -> 'NoSuchTfOp'"), e.getMessage());
  }

  @Test
  void parametersAreVariablesInitialisedOnce() {
    GraphBuilder g = new GraphBuilder("params");
    Value x = g.input("x", new TensorType(DType.F32, Shape.of(Dim.symbolic("batch"), Dim.of(2))));
    Value w = g.parameter("w", HostTensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2), true, "test");
    g.output("y", Ops.matMul(g, x, w));
    try (TfModel m = TfModel.load(g.build())) {
      assertEquals(1, m.lowered().variables().size());
      assertEquals("VarHandleOp", m.lowered().variables().get("w").op().type());
      for (int i = 0; i < 2; i++) {
        HostTensor y = m.run(Map.of("x", HostTensor.ofFloats(new float[] {1, 1, 0, 1, 2, 0}, 3, 2))).get("y");
        assertEquals(HostTensor.ofFloats(new float[] {4, 6, 3, 4, 2, 4}, 3, 2), y);
      }
    }
  }

  @Test
  void tensorsRoundTripBitForBit() {
    for (DType d : DType.values()) {
      HostTensor t = HostTensor.fromDoubles(d, new double[] {0, 1, -2.5, 3, 0.125, 1}, 2, 3);
      try (Tensor tf = TfTensors.toTf(t)) {
        assertEquals(TfTypes.boundaryType(d), tf.dataType(), d.toString());
        assertEquals(t, TfTensors.fromTf(tf, d), d.toString());
      }
      HostTensor scalar = HostTensor.scalar(d, 1);
      try (Tensor tf = TfTensors.toTf(scalar)) {
        assertEquals(scalar, TfTensors.fromTf(tf, d), d + " scalar");
      }
    }
  }

  @Test
  void int8AndInt16CrossTheBoundaryBitCast() {
    GraphBuilder g = new GraphBuilder("narrow_ints");
    Value a = g.input("a", TensorType.of(DType.I8, 4));
    Value b = g.input("b", TensorType.of(DType.I16, 2));
    HostTensor c = HostTensor.fromDoubles(DType.I8, new double[] {-128, 1, 2, 127}, 4);
    g.output("relu_a", Ops.relu(g, a));
    g.output("sum", Ops.add(g, a, Ops.constant(g, c)));
    g.output("b_out", Ops.identity(g, b));
    HostTensor av = HostTensor.fromDoubles(DType.I8, new double[] {-5, 0, 7, -1}, 4);
    HostTensor bv = HostTensor.fromDoubles(DType.I16, new double[] {-300, 32000}, 2);
    try (TfModel m = TfModel.load(g.build())) {
      Map<String, HostTensor> out = m.run(Map.of("a", av, "b", bv));
      assertEquals(HostTensor.fromDoubles(DType.I8, new double[] {0, 0, 7, 0}, 4), out.get("relu_a"));
      // NOTE: int8 addition wraps: -128 + -5 = 123, 127 + -1 = 126.
      assertEquals(HostTensor.fromDoubles(DType.I8, new double[] {123, 1, 9, 126}, 4), out.get("sum"));
      assertEquals(bv, out.get("b_out"));
    }
  }
}
