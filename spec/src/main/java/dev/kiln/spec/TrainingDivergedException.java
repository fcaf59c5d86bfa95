package dev.kiln.spec;

/**
 * Training produced a non-finite loss (NaN or ±Inf). Names the step at which it happened and the last
 * finite loss, so a user can tell a blow-up from a bad first batch.
 */
public class TrainingDivergedException extends KilnException {
  private final long step;
  private final double lastFiniteLoss;

  /**
   * @param step the 1-based global step whose loss was not finite
   * @param loss that loss
   * @param lastFiniteLoss the loss of the last step that was finite, or NaN when there was none
   */
  public TrainingDivergedException(long step, double loss, double lastFiniteLoss) {
    super("training diverged at step " + step + ": loss is " + loss + "; last finite loss "
        + (Double.isNaN(lastFiniteLoss) ? "(none: the first step already diverged)" : String.valueOf(lastFiniteLoss))
        + ". Try a lower learning rate, gradient clipping, or check the inputs for NaN/Inf");
    this.step = step;
    this.lastFiniteLoss = lastFiniteLoss;
  }

  /** The 1-based global step whose loss was not finite. */
  public long step() { return step; }

  /** The last finite loss, NaN when there was none. */
  public double lastFiniteLoss() { return lastFiniteLoss; }
}
