package dev.kiln.interop.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.io.ReadLimits;
import dev.kiln.spec.ModelFileException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pickles that once hung Kiln or overflowed its stack (issue 19): the archives under
 * {@code src/test/resources/hostile/pt}, written by {@code make_pt.py} there. Each must end in a clean
 * {@link ModelFileException} naming the problem, quickly.
 */
class HostilePickleTest {
  static Path hostile(String name) {
    try {
      return Path.of(HostilePickleTest.class.getResource("/hostile/pt/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String refusal(String file) {
    ModelFileException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(ModelFileException.class, () -> TorchFile.read(hostile(file))));
    return e.getMessage();
  }

  @Test void sharedDictsFortyDeepAreRefusedByTheElementLimitNotWalked() {
    // 2^41 values once each shared dict is counted where it appears: over kiln.limit.pickleElements.
    String m = refusal("shared-dicts-40.pt");
    assertTrue(m.contains(ReadLimits.PICKLE_ELEMENTS) && m.contains("-D" + ReadLimits.PICKLE_ELEMENTS), m);
  }

  @Test void sharedListsFortyDeepAreRefusedToo() {
    assertTrue(refusal("shared-lists-40.pt").contains(ReadLimits.PICKLE_ELEMENTS));
  }

  @Test void aDictHoldingItselfIsACycle() {
    String m = refusal("self-dict.pt");
    assertTrue(m.contains("the top-level dict['self'] contains itself"), m);
  }

  @Test void aListHoldingItselfIsACycle() {
    String m = refusal("self-list.pt");
    assertTrue(m.contains("['l'][1] contains itself"), m);
  }

  @Test void twoHundredThousandNestedListsStopAtTheDepthLimit() {
    String m = refusal("deep-lists-200k.pt");
    assertTrue(m.contains("nested deeper") && m.contains(ReadLimits.DEPTH), m);
  }

  @Test void anUnhashableKeyIsRefusedAsPythonDoes() {
    String m = refusal("list-key.pt");
    assertTrue(m.contains("a dict key is a ArrayList, which Python cannot hash either"), m);
  }

  @Test void sharingWithinTheLimitsReadsAndFlattensEveryPlace() throws Exception {
    // Raising the element limit leaves the depth limit: 42 levels are over a depth limit of 12.
    ReadLimits roomy = ReadLimits.BUILT_IN.withMaxPickleElements(Long.MAX_VALUE).withMaxDepth(12);
    String m = assertThrows(ModelFileException.class, () -> TorchFile.read(hostile("shared-dicts-40.pt"), roomy)).getMessage();
    assertTrue(m.contains(ReadLimits.DEPTH), m);
    // With both raised the copy takes 41 steps, not 2^41: each shared dict is copied once.
    StateDict ok = TorchFile.read(hostile("shared-dicts-40.pt"), ReadLimits.BUILT_IN.withMaxDepth(100).withMaxPickleElements(Long.MAX_VALUE));
    StateDict a = ok.at("a");
    assertEquals(a, ok.at("b"), "a shared dict is copied once and shared, as in the pickle");
  }
}
