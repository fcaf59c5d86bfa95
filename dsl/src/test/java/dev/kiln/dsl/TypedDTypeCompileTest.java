package dev.kiln.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dtypes live in generics: mixing an I64 tensor into F32 arithmetic must not compile, and the explicit
 * cast must. Checked with the real Java compiler against the DSL on the test class path.
 */
class TypedDTypeCompileTest {
  private static final String HEADER = """
      import static dev.kiln.dsl.DTypes.*;
      import dev.kiln.dsl.*;
      import dev.kiln.dsl.types.*;
      class Snippet {
        Model m() {
          return Model.build("m", b -> {
            Tensor<F32> x = b.input("x", F32, "batch", 4);
            Tensor<I64> ids = b.input("ids", I64, "batch", 4);
      """;
  private static final String FOOTER = """
          });
        }
      }
      """;

  @Test
  void addingI64ToF32DoesNotCompile(@TempDir Path dir) throws IOException {
    String out = compile(dir, "return x.add(ids);");
    assertFalse(out.isEmpty(), "the snippet must be rejected");
    assertTrue(out.contains("Tensor<dev.kiln.dsl.types.I64>") || out.contains("Tensor<I64>"), out);
  }

  @Test
  void explicitCastCompiles(@TempDir Path dir) throws IOException {
    assertEquals("", compile(dir, "return x.add(ids.cast(F32));"));
  }

  /** Compiles the snippet; returns the compiler's diagnostics ("" when it compiles). */
  private static String compile(Path dir, String body) throws IOException {
    Path src = dir.resolve("Snippet.java");
    Files.writeString(src, HEADER + "      " + body + "\n" + FOOTER);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try (OutputStreamWriter w = new OutputStreamWriter(err, StandardCharsets.UTF_8)) {
      rc = javac.getTask(w, null, null,
          List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path")), null,
          javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src)).call() ? 0 : 1;
    }
    return rc == 0 ? "" : err.toString(StandardCharsets.UTF_8);
  }
}
