package dev.kiln.interop.safetensors;

import dev.kiln.spec.HostTensor;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors in header order and its {@code __metadata__}
 * string map (empty when the file has none).
 */
public record SafetensorsFile(Map<String, HostTensor> tensors, Map<String, String> metadata) {
  public SafetensorsFile {
    tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }
}
