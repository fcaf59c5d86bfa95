package dev.kiln.runtime.train;

import java.util.Map;

/**
 * One step of {@link Trainer#trainStep} or {@link Trainer#evalStep}.
 *
 * @param step the trainer's step counter after it (1 after the first training step; unchanged by evaluation)
 * @param learningRate the rate the update used (NaN for evaluation)
 * @param loss the batch's loss (with regularisation, as the optimizer saw it)
 * @param metrics each configured metric on this batch alone, by name, in configuration order
 */
public record StepResult(long step, double learningRate, double loss, Map<String, Double> metrics) {}
