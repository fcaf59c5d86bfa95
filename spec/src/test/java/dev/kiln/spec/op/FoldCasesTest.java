package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import dev.kiln.spec.harness.OpCases;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every op's folding cases ({@link OpCases#foldCases()}: constant and symbolic inputs, refusals and
 * errors) through {@link Folding#fold}, the one entry point the compiler and the importer use.
 */
class FoldCasesTest {
  @TestFactory
  Stream<DynamicTest> foldCases() {
    return OpRegistry.all().stream().filter(op -> op.folder() != null).flatMap(op -> {
      OpCases c = Objects.requireNonNull(OpCases.forOp(op), op.name() + " has no harness entry");
      return c.foldCases().stream().map(fc -> DynamicTest.dynamicTest(op.name() + ": " + fc.label(), () -> check(op, fc)));
    });
  }

  static void check(Op op, OpCases.FoldCase fc) {
    if (fc.errorFragment() != null) {
      KilnException e = assertThrows(KilnException.class, () -> Folding.fold(op, fc.inputs(), fc.attrs()));
      assertTrue(e.getMessage().contains(fc.errorFragment()), e.getMessage());
      return;
    }
    List<Folded> got = Folding.fold(op, fc.inputs(), fc.attrs());
    if (fc.expected() == null) {
      assertNull(got, "the folder must decline");
      return;
    }
    assertEquals(fc.expected(), got);
  }
}
