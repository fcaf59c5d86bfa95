package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.tf.ops.TfHandlers;
import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every op's declared TensorFlow form is one this back end can run, checked over the registry without building a
 * graph: a plain form names an op this TF build has, a handler form has its handler in {@link TfHandlers} (keyed by
 * op), an unsupported form says why; and every handler belongs to an op that declares a handler form.
 */
class TfLoweringRegistryTest {
  @Test
  void everyDeclaredFormHasWhatTheBackEndNeedsToRunIt() {
    List<String> problems = new ArrayList<>();
    for (Op op : OpRegistry.all()) {
      TfLowering l = op.tf();
      String n = op.name();
      if (l == null) problems.add(n + ": declares no TensorFlow form");
      else if (!l.isSupported()) {
        if (l.unsupportedReason() == null || l.unsupportedReason().isBlank()) problems.add(n + ": unsupported without a reason");
      } else if (l.isCustom()) {
        if (TfHandlers.forOp(n) == null) problems.add(n + ": handler form '" + l.opType() + "' has no handler in TfHandlers");
      } else if (TfOpBuilder.opDef(l.opType()) == null) {
        problems.add(n + ": TF has no op '" + l.opType() + "'");
      }
    }
    for (String n : TfHandlers.all().keySet()) {
      if (!OpRegistry.has(n)) problems.add("TfHandlers: handler for '" + n + "', which is no op");
      else if (!OpRegistry.get(n).tf().isCustom()) problems.add("TfHandlers: handler for " + n + ", whose declared form is not a handler");
    }
    assertEquals(List.of(), problems);
  }
}
