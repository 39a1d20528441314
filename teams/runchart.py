"""Run-chart analysis with the Anhøj rules, as in the R package qicharts2.

A pure function of the values: no models, no database, no clock.

- The centre line is the median of the values, or of the first ``freeze``
  values (a baseline) when given.
- Points on the centre line are ignored; ``n_useful`` counts the others.
- A run is a sequence of useful points on the same side of the centre line.
  The longest run signals when it is longer than ``round(log2(n_useful)) + 3``.
- A crossing is a change of side between consecutive useful points. Too few
  crossings signal: fewer than the 5 % quantile of Binomial(n_useful − 1, ½).
- There is a signal when either rule is broken. With no useful points there
  are no limits and no signal.
"""

import math
import statistics
from collections.abc import Sequence


def binomial_quantile(probability: float, size: int) -> int:
    """R's qbinom(probability, size, 0.5): the smallest k with P(X ≤ k) ≥ probability.

    Computed with whole numbers, so no rounding error can move the answer.
    """
    if size <= 0:
        return 0
    total = 2**size
    # P(X ≤ k) ≥ p  ⇔  cumulative ≥ p · 2^size; p is a decimal such as 0.05.
    numerator, denominator = _as_fraction(probability)
    cumulative = 0
    for k in range(size + 1):
        cumulative += math.comb(size, k)
        if cumulative * denominator >= numerator * total:
            return k
    return size


def _as_fraction(probability):
    from fractions import Fraction

    fraction = Fraction(str(probability))
    return fraction.numerator, fraction.denominator


def analyse(values: Sequence[float], freeze: int | None = None) -> dict:
    """Anhøj-rule analysis of ``values`` (in time order; None for a missing period)."""
    points = [float(v) for v in values if v is not None]
    if freeze is not None and not 1 <= freeze <= len(points):
        raise ValueError(f"freeze must be between 1 and the number of points ({len(points)}).")
    baseline = points[:freeze] if freeze else points
    centre = statistics.median(baseline) if baseline else None

    sides = [1 if p > centre else -1 for p in points if p != centre] if points else []
    return {"centre": centre, "n_obs": len(points), **anhoej(sides), "freeze": freeze}


def anhoej(sides: Sequence[int]) -> dict:
    """The two Anhøj rules on the sides (+1 above, −1 below) of the useful points:
    the points off the centre line, in time order. Shared with the control charts."""
    n_useful = len(sides)
    runs = _run_lengths(sides)
    longest_run = max(runs, default=0)
    crossings = max(len(runs) - 1, 0)
    if n_useful:
        longest_run_max = round(math.log2(n_useful)) + 3
        crossings_min = binomial_quantile(0.05, n_useful - 1)
        long_run = longest_run > longest_run_max
        few_crossings = crossings < crossings_min
    else:
        longest_run_max = crossings_min = None
        long_run = few_crossings = False
    return {
        "n_useful": n_useful,
        "longest_run": longest_run,
        "longest_run_max": longest_run_max,
        "crossings": crossings,
        "crossings_min": crossings_min,
        "long_run_signal": long_run,
        "few_crossings_signal": few_crossings,
        "signal": long_run or few_crossings,
    }


def _run_lengths(sides):
    runs = []
    for side in sides:
        if runs and runs[-1][0] == side:
            runs[-1][1] += 1
        else:
            runs.append([side, 1])
    return [length for _side, length in runs]
