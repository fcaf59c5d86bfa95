package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.U64;
import static dev.kiln.spec.DType.U8;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class BitShiftCases extends OpCases {
  private static final Attrs LEFT = Attrs.of("direction", "LEFT");
  private static final Attrs RIGHT = Attrs.of("direction", "RIGHT");

  @Override protected void define() {
    valid("u8 left", List.of(t(U8, "batch", 3), t(U8, 3)), LEFT, t(U8, "batch", 3));
    valid("u8 right", List.of(t(U8, 4), t(U8, 4)), RIGHT, t(U8, 4));
    invalid("signed input", List.of(t(I32, 2), t(I32, 2)), LEFT, "must be an unsigned integer tensor");
    invalid("bad direction", List.of(t(U8, 2), t(U8, 2)), Attrs.of("direction", "UP"), "LEFT or RIGHT");
    onnxData("test_bitshift_left_uint8", op(LEFT));
    onnxData("test_bitshift_right_uint8", op(RIGHT));
    for (String t : List.of("uint16", "uint32", "uint64")) {
      onnxData("test_bitshift_left_" + t, op(LEFT));
      onnxData("test_bitshift_right_" + t, op(RIGHT));
    }
    List<HostTensor> in = List.of(HostTensor.fromDoubles(U8, new double[] {1, 255, 16, 200}, 4), HostTensor.fromDoubles(U8, new double[] {7, 1, 2, 0}, 4));
    // Left shifts drop the bits pushed past bit 7: 255 << 1 = 254.
    numeric("u8 left", in, op(LEFT), List.of(HostTensor.fromDoubles(U8, new double[] {128, 254, 64, 200}, 4)));
    numeric("u8 right", in, op(RIGHT), List.of(HostTensor.fromDoubles(U8, new double[] {0, 127, 4, 200}, 4)));
    // Bit 63 survives a u64 shift: 1 << 63 = 2^63, and 2^63 >> 62 = 2.
    HostTensor one = HostTensor.fromDoubles(U64, new double[] {1, 0x1p63}, 2);
    numeric("u64 high bit", List.of(one, HostTensor.fromDoubles(U64, new double[] {63, 62}, 2)), op(LEFT),
        List.of(HostTensor.fromDoubles(U64, new double[] {0x1p63, 0}, 2)));
    numeric("u64 right", List.of(one, HostTensor.fromDoubles(U64, new double[] {0, 62}, 2)), op(RIGHT),
        List.of(HostTensor.fromDoubles(U64, new double[] {1, 2}, 2)));
  }
}
