package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.runtime.train.FusedUpdate;
import org.junit.jupiter.api.Test;

/** The TF back end rewrites every kind of neutral fused update, into an op this TF build has. */
class TfFusedUpdatesTest {
  @Test
  void everyKindOfFusedUpdateHasAKernelThatTensorFlowHas() {
    for (FusedUpdate.Kind k : FusedUpdate.Kind.values()) {
      TfFusedUpdates.Kernel kernel = TfFusedUpdates.KERNELS.get(k);
      assertNotNull(kernel, "no TF kernel for fused " + k + " updates");
      assertNotNull(TfOpBuilder.opDef(kernel.tfOp()), k + ": TF has no op " + kernel.tfOp());
    }
  }
}
