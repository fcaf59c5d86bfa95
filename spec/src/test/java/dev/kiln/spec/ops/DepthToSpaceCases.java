package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class DepthToSpaceCases extends OpCases {
  @Override protected void define() {
    valid("DCR, symbolic batch", List.of(t(F32, "batch", 8, 2, 3)), Attrs.of("blocksize", 2L), t(F32, "batch", 2, 4, 6));
    valid("CRD", List.of(t(F32, 1, 18, 1, 2)), Attrs.of("blocksize", 3L, "mode", "CRD"), t(F32, 1, 2, 3, 6));
    valid("blocksize 1", List.of(t(F32, 2, 4, 1, 1)), Attrs.of("blocksize", 1L), t(F32, 2, 4, 1, 1));
    invalid("channels not divisible", List.of(t(F32, 1, 6, 2, 2)), Attrs.of("blocksize", 2L), "must be divisible by blocksize^2 = 4");
    invalid("rank 3", List.of(t(F32, 4, 2, 2)), Attrs.of("blocksize", 2L), "input x must have rank 4");
    invalid("bad mode", List.of(t(F32, 1, 4, 2, 2)), Attrs.of("blocksize", 2L, "mode", "RDC"), "attribute mode must be DCR or CRD");
    onnxData("test_depthtospace_crd_mode", op(Attrs.of("blocksize", 2L, "mode", "CRD")));
    onnxData("test_depthtospace_crd_mode_example", op(Attrs.of("blocksize", 2L, "mode", "CRD")));
    onnxData("test_depthtospace_dcr_mode", op(Attrs.of("blocksize", 2L)));
    onnxData("test_depthtospace_example", op(Attrs.of("blocksize", 2L, "mode", "DCR")));
    // Channel k of x = 0..7 goes to (c', i, j) with k = (i b + j) C' + c' (DCR) or c' b^2 + i b + j (CRD).
    HostTensor x = HostTensor.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 1, 8, 1, 1);
    numeric("DCR by hand", List.of(x), op(Attrs.of("blocksize", 2L)),
        List.of(HostTensor.ofFloats(new float[] {0, 2, 4, 6, 1, 3, 5, 7}, 1, 2, 2, 2)));
    numeric("CRD by hand", List.of(x), op(Attrs.of("blocksize", 2L, "mode", "CRD")),
        List.of(HostTensor.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 1, 2, 2, 2)));
  }

  @Override public boolean smooth() { return true; }
}
