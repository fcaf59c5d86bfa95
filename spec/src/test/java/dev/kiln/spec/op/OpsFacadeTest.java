package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.spec.harness.Goldens;
import dev.kiln.spec.ops.OpIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the op index and the op facade equal to what the op classes declare: a new op, a changed signature or a
 * renamed op fails here until the sources are regenerated ({@code -Dkiln.update.goldens=true}).
 */
class OpsFacadeTest {
  @Test
  void indexAndFacadeAreCurrent() {
    List<Op> ops = OpClassScan.ops();
    for (Map.Entry<String, String> f : OpsFacadeSource.render(ops).entrySet()) {
      Goldens.check(Path.of(OpsFacadeSource.DIR + f.getKey()), f.getValue());
    }
  }

  @Test
  void indexListsEveryOpClass() {
    List<String> scanned = OpClassScan.ops().stream().map(Op::name).toList();
    List<String> indexed = OpIndex.all().stream().map(Op::name).toList();
    assertEquals(scanned, indexed, "OpIndex differs from the op classes; regenerate: " + OpsFacadeSource.REGENERATE);
  }
}
