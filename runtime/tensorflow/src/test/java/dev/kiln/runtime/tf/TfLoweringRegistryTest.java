package dev.kiln.runtime.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.spec.op.Op;
import dev.kiln.spec.op.OpRegistry;
import dev.kiln.spec.op.TfLowering;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every op's declared TensorFlow form is one this back end can run, checked over the registry without building a
 * graph: a plain form names an op this TF build has, a handler form has its handler, an unsupported form says why,
 * and an op without a TF form of its own is a composite (its decomposition runs).
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
        if (l.handler() == null) problems.add(n + ": handler form '" + l.opType() + "' without a handler");
      } else if (TfOpBuilder.opDef(l.opType()) == null) {
        problems.add(n + ": TF has no op '" + l.opType() + "'");
      }
    }
    assertEquals(List.of(), problems);
  }
}
