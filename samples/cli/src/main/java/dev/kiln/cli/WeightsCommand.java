package dev.kiln.cli;

import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.safetensors.SafetensorsFile;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.spec.HostTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln weights FILE}: the tensors in a PyTorch ({@code .pt}/{@code .pth}) or safetensors file. */
@Command(name = "weights", mixinStandardHelpOptions = true,
    description = "List every tensor in a PyTorch .pt/.pth (torch.save) or .safetensors file: name, dtype and shape,\n"
        + "with the total parameter count. Nested checkpoints list their tensors with dotted names.\n"
        + "Nothing in the file is executed; refused or malformed files exit 2.")
final class WeightsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "A .pt/.pth or .safetensors file.")
  Path file;

  @Spec CommandSpec spec;

  @Override public Integer call() throws IOException {
    Map<String, HostTensor> tensors;
    Map<String, String> metadata = Map.of();
    String format;
    if (isZip(file)) {
      tensors = TorchFile.read(file).flatten();
      format = "PyTorch torch.save";
    } else if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors") || !looksLikeTorch(file)) {
      SafetensorsFile f = Safetensors.read(file);
      tensors = f.tensors();
      metadata = f.metadata();
      format = "safetensors";
    } else {
      // A .pt that is not a zip: TorchFile explains what it is (legacy format, tar, not PyTorch).
      tensors = TorchFile.read(file).flatten();
      format = "PyTorch torch.save";
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("file: " + file + " (" + format + ")");
    metadata.forEach((k, v) -> out.println("metadata: " + k + " = " + v));
    int width = tensors.keySet().stream().mapToInt(String::length).max().orElse(4);
    long total = 0;
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      HostTensor t = e.getValue();
      out.printf("%-" + width + "s  %-5s %s%n", e.getKey(), t.dtype(), Arrays.toString(t.shape()));
      total += t.size();
    }
    out.printf("%d tensors, %,d parameters%n", tensors.size(), total);
    out.flush();
    return 0;
  }

  private static boolean isZip(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(2);
      return b.length == 2 && b[0] == 'P' && b[1] == 'K';
    }
  }

  private static boolean looksLikeTorch(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ckpt") || n.endsWith(".bin");
  }
}
