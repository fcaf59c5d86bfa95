/**
 * The safetensors format: {@link dev.kiln.interop.safetensors.Safetensors} reads files with full header
 * and offset validation and writes them atomically.
 */
package dev.kiln.interop.safetensors;
