/**
 * PyTorch weights without Python: {@link dev.kiln.interop.torch.TorchFile} reads {@code torch.save}
 * zip archives through a restricted unpickler (an allowlist of tensor, storage and {@code OrderedDict}
 * globals; nothing from the file is executed) into a {@link dev.kiln.interop.torch.StateDict};
 * {@link dev.kiln.interop.torch.Weights} binds a state dict to a DSL model by name, converting
 * PyTorch's layouts, and exports a model's parameters back as safetensors.
 */
package dev.kiln.interop.torch;
