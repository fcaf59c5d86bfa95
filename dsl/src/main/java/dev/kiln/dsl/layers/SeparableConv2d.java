package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;

/**
 * Separable 2-D convolution: a depthwise convolution {@code name.depthwise} (one filter per input channel, weight
 * [C, 1, kh, kw], no bias) with this layer's kernel, stride, padding and dilation, then a pointwise 1x1 convolution
 * {@code name.pointwise} to the output channels (weight [O, C, 1, 1], bias as the options say). Groups must stay 1.
 * Example: {@code x.apply("s", SeparableConv2d.of(64, 3).padding(Padding.SAME))}.
 */
public final class SeparableConv2d extends ConvLayer<SeparableConv2d> {
  private SeparableConv2d(Options o) { super("SeparableConv2d", o); }

  /** {@code out} channels after the pointwise step, a square depthwise {@code kernel}, defaults otherwise. */
  public static SeparableConv2d of(long out, long kernel) {
    return new SeparableConv2d(Options.defaults("SeparableConv2d", out, new long[] {kernel}));
  }

  @Override SeparableConv2d with(Options options) { return new SeparableConv2d(options); }

  @Override int spatial() { return 2; }

  @Override
  public <T> Tensor<T> apply(String name, Tensor<T> x) {
    Options c = options();
    if (c.groups() != 1) {
      throw Check.input(x, "Conv", "separableConv2d '" + name + "': groups must be 1 (the depthwise step uses one group per"
          + " channel), got " + c.groups());
    }
    if (x.rank() != 4 || !x.dim(1).isStatic()) {
      throw Check.input(x, "Conv", "separableConv2d '" + name + "' needs input [N, C, H, W] with static C, got " + x.type());
    }
    long in = x.size(1);
    ModelBuilder m = x.builder();
    return m.block(name, b -> {
      long[] k = Check.perAxis(x, "Conv", "kernel", c.kernel(), 2);
      long[] s = Check.perAxis(x, "Conv", "stride", c.stride(), 2);
      long[] d = Check.perAxis(x, "Conv", "dilation", c.dilation(), 2);
      Conv2d depthwise = Conv2d.of(in, 1).kernel(k).stride(s).dilation(d).padding(c.padding()).groups(in).noBias()
          .weightInit(c.weightInit());
      Tensor<T> y = depthwise.apply("depthwise", x);
      Conv2d pointwise = Conv2d.of(c.out(), 1).bias(c.bias()).weightInit(c.weightInit()).biasInit(c.biasInit());
      return pointwise.apply("pointwise", y);
    });
  }
}
