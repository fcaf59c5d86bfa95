package dev.kiln.interop.torch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.ModelFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile .pt files built by hand: each is refused with a message naming what was wrong, and the
 * payloads that would create a marker file if executed leave no such file behind.
 */
class HostileTorchFileTest {
  @TempDir Path tmp;

  private ModelFileException refused(byte[] pickle, Map<String, byte[]> extra) throws Exception {
    Map<String, byte[]> r = new LinkedHashMap<>();
    r.put("archive/data.pkl", pickle);
    r.putAll(extra);
    Path f = Pickles.zip(tmp.resolve("hostile.pt"), r);
    return assertThrows(ModelFileException.class, () -> TorchFile.read(f));
  }

  private static void assertMentions(ModelFileException e, String... parts) {
    for (String p : parts) assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
  }

  @Test void osSystemIsRefusedAndNotRun() throws Exception {
    Path marker = tmp.resolve("pwned-os-system");
    byte[] p = Pickles.proto2().global("os", "system").mark().str("touch " + marker).tuple().reduce().stop();
    assertMentions(refused(p, Map.of()), "os.system", "nothing was executed");
    assertFalse(Files.exists(marker));
  }

  @Test void stackGlobalFormIsRefusedToo() throws Exception {
    Path marker = tmp.resolve("pwned-stack-global");
    byte[] p = Pickles.proto2().str("posix").str("system").op(0x93).mark().str("touch " + marker).tuple().reduce().stop();
    assertMentions(refused(p, Map.of()), "posix.system");
    assertFalse(Files.exists(marker));
  }

  @Test void reduceToBuiltinsEvalIsRefused() throws Exception {
    Path marker = tmp.resolve("pwned-eval");
    byte[] p = Pickles.proto2().global("builtins", "eval").mark()
        .str("__import__('os').system('touch " + marker + "')").tuple().reduce().stop();
    assertMentions(refused(p, Map.of()), "builtins.eval");
    assertFalse(Files.exists(marker));
  }

  @Test void objectConstructionOpcodesAreRefused() throws Exception {
    // INST names a class inline: refused before the name is even resolved.
    byte[] inst = Pickles.proto2().mark().str("x").op('i').stop();
    assertMentions(refused(inst, Map.of()), "INST");
    // A reduce whose callable is not an allowed global (a string here) is refused.
    byte[] notGlobal = Pickles.proto2().str("os.system").mark().tuple().reduce().stop();
    assertMentions(refused(notGlobal, Map.of()), "REDUCE on String");
    // __setstate__ on something other than an OrderedDict.
    byte[] build = Pickles.proto2().str("x").emptyDict().op('b').stop();
    assertMentions(refused(build, Map.of()), "BUILD");
  }

  @Test void pathTraversalMemberIsRefused() throws Exception {
    Map<String, byte[]> r = new LinkedHashMap<>();
    r.put("archive/data.pkl", Pickles.proto2().emptyDict().stop());
    r.put("archive/../../evil.sh", "echo hi".getBytes());
    Path f = Pickles.zip(tmp.resolve("traversal.pt"), r);
    assertMentions(assertThrows(ModelFileException.class, () -> TorchFile.read(f)), "archive/../../evil.sh", "path traversal");
  }

  @Test void missingStorageKeyIsRefused() throws Exception {
    byte[] p = Pickles.oneTensor("7", "FloatStorage", 2, 0, new long[] {2}, new long[] {1});
    assertMentions(refused(p, Map.of("archive/data/0", Pickles.floats(1, 2))), "storage '7'", "does not exist");
  }

  @Test void storageShorterThanDeclaredIsRefused() throws Exception {
    byte[] p = Pickles.oneTensor("0", "FloatStorage", 4, 0, new long[] {4}, new long[] {1});
    assertMentions(refused(p, Map.of("archive/data/0", Pickles.floats(1, 2))), "declares 4 f32 elements (16 bytes)", "holds only 8 bytes");
  }

  @Test void viewReachingPastItsStorageIsRefused() throws Exception {
    byte[] p = Pickles.oneTensor("0", "FloatStorage", 2, 1, new long[] {2}, new long[] {1});
    assertMentions(refused(p, Map.of("archive/data/0", Pickles.floats(1, 2))), "reaches element 2", "holds only 2");
  }

  @Test void hugeDeclaredSizesAreRefusedBeforeAllocating() throws Exception {
    // 2^40 floats (4 TiB): allocating it would fail with OutOfMemoryError, not this message.
    long huge = 1L << 40;
    byte[] p = Pickles.oneTensor("0", "FloatStorage", huge, 0, new long[] {huge}, new long[] {1});
    assertMentions(refused(p, Map.of("archive/data/0", Pickles.floats(1, 2))), "declares " + huge + " f32 elements");
    // A view of 2^40 elements over a 2-element storage via a zero stride.
    byte[] zeroStride = Pickles.oneTensor("0", "FloatStorage", 2, 0, new long[] {huge}, new long[] {0});
    assertMentions(refused(zeroStride, Map.of("archive/data/0", Pickles.floats(1, 2))), "more elements");
    // A size whose element count overflows 64 bits.
    byte[] overflow = Pickles.oneTensor("0", "FloatStorage", 2, 0, new long[] {huge, huge}, new long[] {1, 1});
    assertMentions(refused(overflow, Map.of("archive/data/0", Pickles.floats(1, 2))), "invalid size");
    // A pickle string claiming 2^62 bytes.
    byte[] bigBytes = Pickles.proto2().op(0x8e).op(0).op(0).op(0).op(0).op(0).op(0).op(0).op(0x40).stop();
    assertMentions(refused(bigBytes, Map.of()), "declares 4611686018427387904 bytes");
  }

  @Test void manyViewsOfOneStorageCannotMultiplyMemory() throws Exception {
    // 100,000 dict entries each viewing the same 256 KiB storage would materialise 25 GiB from a ~7 MiB file.
    int n = 64 * 1024;
    byte[] data = new byte[4 * n];
    Pickles p = Pickles.proto2().emptyDict();
    for (int i = 0; i < 100_000; i++) {
      p.str("t" + i).global("torch._utils", "_rebuild_tensor_v2").mark();
      p.mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(n).tuple().binpersid();
      p.integer(0).mark().integer(n).tuple().mark().integer(1).tuple().falseValue().global("collections", "OrderedDict").mark().tuple().reduce()
          .tuple().reduce().setitem();
    }
    assertMentions(refused(p.stop(), Map.of("archive/data/0", data)), "more memory in all than the file's size allows");
  }

  @Test void notAZipIsRefused() throws Exception {
    Path f = Files.writeString(tmp.resolve("text.pt"), "hello, not a checkpoint");
    assertMentions(assertThrows(ModelFileException.class, () -> TorchFile.read(f)), "not a torch.save zip archive");
  }
}
