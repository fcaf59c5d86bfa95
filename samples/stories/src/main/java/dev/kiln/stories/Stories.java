package dev.kiln.stories;

import java.util.Arrays;

/** {@code scripts/story NAME [ARGS...]}: runs one of the four stories. */
public final class Stories {
  private Stories() {}

  public static void main(String[] args) throws Exception {
    String name = args.length > 0 ? args[0] : "";
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (name) {
      case "fashion-cnn" -> FashionCnnStory.main(rest);
      case "resnet-transfer" -> ResNetTransferStory.main(rest);
      case "mobilenet-finetune" -> MobileNetFineTuneStory.main(rest);
      case "data-pipeline" -> DataPipelineStory.main(rest);
      default -> {
        System.err.println("usage: scripts/story fashion-cnn | resnet-transfer WEIGHTS.pt | mobilenet-finetune MODEL.onnx"
            + " | data-pipeline [IMAGE_FOLDER]   (got '" + name + "')");
        System.exit(2);
      }
    }
  }
}
