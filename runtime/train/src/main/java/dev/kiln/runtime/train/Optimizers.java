package dev.kiln.runtime.train;

/**
 * Factory of the optimizers, with PyTorch's {@code torch.optim} semantics and defaults. The learning
 * rate is not a hyper-parameter here: it is fed each step from a {@link LearningRateSchedule}.
 */
public final class Optimizers {
  private Optimizers() {}

  /** Plain SGD: p -= lr g. */
  public static Sgd sgd() { return new Sgd(0, 0, false, 0); }

  /** SGD with L2 weight decay: p -= lr (g + wd p). */
  public static Sgd sgd(double weightDecay) { return new Sgd(0, 0, false, weightDecay); }

  /** Heavy-ball momentum (PyTorch): buf = mu buf + g; p -= lr buf. */
  public static Sgd momentum(double mu) { return new Sgd(mu, 0, false, 0); }

  /** Momentum with dampening and L2 weight decay (PyTorch SGD's full form). */
  public static Sgd momentum(double mu, double dampening, double weightDecay) { return new Sgd(mu, dampening, false, weightDecay); }

  /** Nesterov momentum (PyTorch): buf = mu buf + g; p -= lr (g + mu buf). */
  public static Sgd nesterov(double mu) { return new Sgd(mu, 0, true, 0); }

  public static Sgd nesterov(double mu, double weightDecay) { return new Sgd(mu, 0, true, weightDecay); }

  /** RMSprop (PyTorch defaults alpha = 0.99, eps = 1e-8). */
  public static RmsProp rmsprop(double alpha, double eps) { return new RmsProp(alpha, eps, 0, 0, false); }

  public static RmsProp rmsprop(double alpha, double eps, double weightDecay, double momentum, boolean centered) {
    return new RmsProp(alpha, eps, weightDecay, momentum, centered);
  }

  /** Adagrad (PyTorch default eps = 1e-10). */
  public static Adagrad adagrad(double eps) { return new Adagrad(eps, 0, 0, 0); }

  public static Adagrad adagrad(double eps, double lrDecay, double weightDecay) { return new Adagrad(eps, lrDecay, weightDecay, 0); }

  /** Adam with bias correction (PyTorch defaults b1 = 0.9, b2 = 0.999, eps = 1e-8). */
  public static Adam adam(double b1, double b2, double eps) { return new Adam(b1, b2, eps, 0, 0, 0, false); }

  /** Adam with coupled L2 weight decay (PyTorch Adam's weight_decay). */
  public static Adam adam(double b1, double b2, double eps, double weightDecay) { return new Adam(b1, b2, eps, weightDecay, 0, 0, false); }

  /** AdamW: decoupled weight decay p *= 1 - lr wd before the Adam step (PyTorch default wd = 0.01). */
  public static Adam adamw(double b1, double b2, double eps, double weightDecay) { return new Adam(b1, b2, eps, 0, weightDecay, 0, false); }
}
