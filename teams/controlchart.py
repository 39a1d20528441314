"""Shewhart control charts, computed as the R package qicharts2's ``qic()`` computes them.

A pure function of the values: no models, no database, no clock. It serves the team
page, the report PDFs and the network's pages alike.

Chart types (``ChartKind``) and their sigma, per part of the series:

- **I** (individuals): centre the mean; sigma the average moving range / 1.128, after
  dropping the moving ranges at or above 3.267 × their mean once (Nelson 1982).
- **MR** (moving ranges of the I chart): centre the mean moving range, limits 0 and
  3.267 × centre; no runs analysis, as in qicharts2.
- **P** (proportions): centre Σ numerators / Σ denominators; sigma √(p̄(1 − p̄)/nᵢ),
  so the limits step with each period's denominator; kept within [0, 1].
- **P′** and **U′** (Laney): the P or U sigma times σz, the average moving range of
  the standardised values zᵢ = (yᵢ − centre)/sigmaᵢ divided by 1.128.
- **U** (rates): centre Σ counts / Σ exposure; sigma √(ū/nᵢ).
- **C** (counts): centre the mean count; sigma √c̄.
- **G** (cases between events): sigma √(ḡ(ḡ + 1)) around the mean ḡ; the line drawn is
  the median of the part's values, as in qicharts2.
- **T** (time between events): an I chart of y^(1/3.6), transformed back; values must be
  greater than 0 (``days_between_events`` makes the series from the events' dates).

Lower limits are never below 0 for P, P′, U, U′, C, G and T (nor for MR); upper limits
never above 1 for P and P′.

What qicharts2 does with the series, and so does this module:

- ``freeze``: the centre and limits come from the first ``freeze`` points (the baseline)
  and are carried forward. Ignored when ``parts`` are given.
- ``parts``: after each of these point counts the chart starts again: a new centre and
  new limits from the new part's own points, and its own runs analysis.
- ``exclude``: positions (from 0) of points left out of the centre, the limits and the
  runs analysis; they are still drawn and still marked when outside the limits.
- A missing period (``None``, or a missing denominator) has no point and, for P and U
  charts, no limits. It breaks the chain of moving ranges: the range to and from it is
  missing, not bridged. One difference from qicharts2: an empty count is missing in a
  C chart too, where qicharts2's sum turns it into 0.

Signals: a point beyond a limit (Shewhart's 3-sigma rule), and in each part the Anhøj
rules on the centre line (``teams.runchart.anhoej``).
"""

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from teams.runchart import anhoej

#: The d2 constant for moving ranges of two, and D4 for their upper limit.
D2, D4 = 1.128, 3.267
#: The T chart's transformation to near-normal (Nelson 1994).
T_POWER = 3.6


class ChartKind:
    """The control charts this module computes, by qicharts2's names."""

    I = "i"  # noqa: E741 - the chart's name
    MR = "mr"
    P = "p"
    P_PRIME = "pp"
    U = "u"
    U_PRIME = "up"
    C = "c"
    G = "g"
    T = "t"

    ALL = (I, MR, P, P_PRIME, U, U_PRIME, C, G, T)
    WITH_DENOMINATOR = (P, P_PRIME, U, U_PRIME)


@dataclass(frozen=True)
class PartResult:
    """One part of the chart (the whole series when there are no parts): the points
    ``start`` to ``end`` (exclusive), and the Anhøj rules on its centre line."""

    start: int
    end: int
    n_useful: int
    longest_run: int
    longest_run_max: int | None
    crossings: int
    crossings_min: int | None
    long_run_signal: bool
    few_crossings_signal: bool
    #: The positions of the points in runs longer than the limit (when that signals).
    long_run_points: tuple[int, ...] = ()

    @property
    def runs_signal(self) -> bool:
        return self.long_run_signal or self.few_crossings_signal


@dataclass(frozen=True)
class ControlChart:
    """Per point: the plotted value, centre line, limits and the 3-sigma signal."""

    kind: str
    y: list[float | None]
    cl: list[float | None]
    lcl: list[float | None]
    ucl: list[float | None]
    outside: list[bool]
    parts: list[PartResult]
    freeze: int | None
    n_obs: int

    @property
    def outside_count(self) -> int:
        return sum(self.outside)

    @property
    def runs_signal(self) -> bool:
        return any(part.runs_signal for part in self.parts)

    @property
    def in_long_run(self) -> list[bool]:
        """Per point: whether it is in a run long enough to signal."""
        marked = {i for part in self.parts for i in part.long_run_points}
        return [i in marked for i in range(len(self.y))]

    @property
    def signal(self) -> bool:
        return self.runs_signal or any(self.outside)


def analyse(
    kind: str,
    values: Sequence[float | None],
    n: Sequence[float | None] | None = None,
    *,
    freeze: int | None = None,
    parts: Sequence[int] = (),
    exclude: Sequence[int] = (),
    multiply: float = 1,
) -> ControlChart:
    """The ``kind`` control chart of ``values`` (numerators for P and U charts, with
    their denominators ``n``), in time order. ``multiply`` scales what is returned
    (100 for a P chart in per cent), not the analysis."""
    if kind not in ChartKind.ALL:
        raise ValueError(f"Unknown chart kind {kind!r}.")
    count = len(values)
    if kind in ChartKind.WITH_DENOMINATOR:
        if n is None or len(n) != count:
            raise ValueError("A P or U chart needs a denominator for every value.")
        y = [
            None if v is None or d is None or d <= 0 else float(v) / float(d)
            for v, d in zip(values, n, strict=True)
        ]
        sizes = [None if y[i] is None else float(n[i]) for i in range(count)]
    else:
        y = [None if v is None else float(v) for v in values]
        sizes = [None] * count
    if kind == ChartKind.T and any(v is not None and v <= 0 for v in y):
        raise ValueError("Time between events must be greater than zero.")
    if freeze is not None and not 1 <= freeze <= count:
        raise ValueError(f"freeze must be between 1 and the number of points ({count}).")
    bounds = _part_bounds(parts, count)
    baseline_end = count if (freeze is None or bounds[1:-1]) else freeze
    excluded = set(exclude)
    if kind == ChartKind.MR:
        y = _moving_ranges_per_part(y, bounds)

    cl: list[float | None] = [None] * count
    lcl: list[float | None] = [None] * count
    ucl: list[float | None] = [None] * count
    results = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        index = range(start, end)
        base = [i for i in index if i < baseline_end and i not in excluded]
        centre, low, high = LIMITS[kind](y, sizes, base, index)
        for i in index:
            cl[i], lcl[i], ucl[i] = centre, low[i - start], high[i - start]
        useful = [
            (i, 1 if y[i] > cl[i] else -1)
            for i in index
            if i not in excluded and y[i] is not None and cl[i] is not None and y[i] != cl[i]
        ]
        rules = anhoej([side for _i, side in useful])
        if kind == ChartKind.MR:  # qicharts2 runs no runs analysis on moving ranges
            rules.update(long_run_signal=False, few_crossings_signal=False)
        in_long_runs = (
            _points_in_runs_longer_than(useful, rules["longest_run_max"])
            if rules["long_run_signal"]
            else ()
        )
        results.append(
            PartResult(
                start=start,
                end=end,
                n_useful=rules["n_useful"],
                longest_run=rules["longest_run"],
                longest_run_max=rules["longest_run_max"],
                crossings=rules["crossings"],
                crossings_min=rules["crossings_min"],
                long_run_signal=rules["long_run_signal"],
                few_crossings_signal=rules["few_crossings_signal"],
                long_run_points=in_long_runs,
            )
        )

    def scaled(column):
        return [None if v is None else v * multiply for v in column]

    y, cl, lcl, ucl = scaled(y), scaled(cl), scaled(lcl), scaled(ucl)
    outside = [
        v is not None and ((high is not None and v > high) or (low is not None and v < low))
        for v, low, high in zip(y, lcl, ucl, strict=True)
    ]
    return ControlChart(
        kind=kind,
        y=y,
        cl=cl,
        lcl=lcl,
        ucl=ucl,
        outside=outside,
        parts=results,
        freeze=baseline_end if baseline_end < count else None,
        n_obs=sum(v is not None for v in y),
    )


def days_between_events(dates: Sequence[dt.date]) -> list[float]:
    """The T chart's series from the events' dates: the days from each event to the
    next, in time order (n dates give n − 1 values). Two events on one day are half
    a day apart, since a T chart needs times greater than 0."""
    ordered = sorted(dates)
    return [max((b - a).days, 0.5) for a, b in zip(ordered, ordered[1:], strict=False)]


def _points_in_runs_longer_than(useful, limit):
    """The positions of the useful points whose run is longer than ``limit``."""
    found, run = [], []
    for position, side in [*useful, (None, 0)]:
        if run and side != run[-1][1]:
            if len(run) > limit:
                found += [i for i, _side in run]
            run = []
        run.append((position, side))
    return tuple(found)


def _part_bounds(parts, count):
    """[0, p1, p2, …, count]: where each part starts, as qicharts2's makeparts."""
    inner = sorted({p for p in parts if 0 < p < count})
    return [0, *inner, count]


def _moving_ranges_per_part(y, bounds):
    """|yᵢ − yᵢ₋₁| within each part; the first point of a part has none."""
    ranges: list[float | None] = [None] * len(y)
    for start, end in zip(bounds, bounds[1:], strict=False):
        for i in range(start + 1, end):
            if y[i] is not None and y[i - 1] is not None:
                ranges[i] = abs(y[i] - y[i - 1])
    return ranges


def _mean(numbers):
    known = [v for v in numbers if v is not None and not math.isnan(v)]
    return statistics.fmean(known) if known else None


def _consecutive_ranges(series):
    """|difference| of each neighbouring pair in ``series``; None where one is missing."""
    return [
        None if a is None or b is None else abs(b - a)
        for a, b in zip(series, series[1:], strict=False)
    ]


def _sigma_from_moving_ranges(series, screen):
    """The I chart's sigma: average moving range / d2, optionally after dropping the
    ranges at or above D4 × their mean once. None when there is nothing to average."""
    ranges = _consecutive_ranges(series)
    average = _mean(ranges)
    if average is None:
        return None
    if screen:
        average = _mean([r for r in ranges if r is not None and r < D4 * average])
        if average is None:
            return None
    return average / D2


def _constant(value, index):
    return [value] * len(index)


def _limits_i(y, sizes, base, index):
    centre = _mean([y[i] for i in base])
    sigma = _sigma_from_moving_ranges([y[i] for i in base], screen=True)
    if centre is None or sigma is None:
        return centre, _constant(None, index), _constant(None, index)
    return centre, _constant(centre - 3 * sigma, index), _constant(centre + 3 * sigma, index)


def _limits_mr(y, sizes, base, index):
    centre = _mean([y[i] for i in base])
    if centre is None:
        return None, _constant(None, index), _constant(None, index)
    return centre, _constant(0.0, index), _constant(D4 * centre, index)


def _pooled(y, sizes, base):
    """Σ numerators / Σ denominators over the baseline (the P and U centre line)."""
    total = sum(sizes[i] for i in base if sizes[i] is not None)
    events = sum(y[i] * sizes[i] for i in base if sizes[i] is not None)
    return events / total if total else None


def _per_size_limits(centre, sigmas, index, floor, ceiling):
    low, high = [], []
    for sigma in sigmas:
        if sigma is None or centre is None:
            low.append(None)
            high.append(None)
            continue
        low.append(max(centre - 3 * sigma, floor))
        high.append(centre + 3 * sigma if ceiling is None else min(centre + 3 * sigma, ceiling))
    return low, high


def _laney_factor(y, sigmas, centre, base, start):
    """σz: the average moving range of the standardised baseline values / d2."""
    z = []
    for i in base:
        sigma = sigmas[i - start]
        z.append(None if y[i] is None or not sigma else (y[i] - centre) / sigma)
    average = _mean(_consecutive_ranges(z))
    return None if average is None else average / D2


def _attribute_limits(y, sizes, base, index, variance, laney, ceiling):
    centre = _pooled(y, sizes, base)
    if centre is None:
        return None, _constant(None, index), _constant(None, index)
    sigmas = [None if sizes[i] is None else math.sqrt(variance(centre) / sizes[i]) for i in index]
    if laney:
        factor = _laney_factor(y, sigmas, centre, base, index.start)
        sigmas = [None if s is None or factor is None else s * factor for s in sigmas]
    low, high = _per_size_limits(centre, sigmas, index, 0.0, ceiling)
    return centre, low, high


def _binomial(p):
    return p * (1 - p)


def _poisson(u):
    return u


def _limits_p(y, sizes, base, index):
    return _attribute_limits(y, sizes, base, index, _binomial, laney=False, ceiling=1.0)


def _limits_pp(y, sizes, base, index):
    return _attribute_limits(y, sizes, base, index, _binomial, laney=True, ceiling=1.0)


def _limits_u(y, sizes, base, index):
    return _attribute_limits(y, sizes, base, index, _poisson, laney=False, ceiling=None)


def _limits_up(y, sizes, base, index):
    return _attribute_limits(y, sizes, base, index, _poisson, laney=True, ceiling=None)


def _limits_c(y, sizes, base, index):
    centre = _mean([y[i] for i in base])
    if centre is None:
        return None, _constant(None, index), _constant(None, index)
    sigma = math.sqrt(centre)
    return (
        centre,
        _constant(max(centre - 3 * sigma, 0.0), index),
        _constant(centre + 3 * sigma, index),
    )


def _limits_g(y, sizes, base, index):
    mean = _mean([y[i] for i in base])
    if mean is None:
        return None, _constant(None, index), _constant(None, index)
    sigma = math.sqrt(mean * (mean + 1))
    known = [y[i] for i in index if y[i] is not None]
    # qicharts2 draws the median of all the part's values, baseline or not.
    centre = statistics.median(known)
    return centre, _constant(max(mean - 3 * sigma, 0.0), index), _constant(mean + 3 * sigma, index)


def _limits_t(y, sizes, base, index):
    transformed = [None if v is None else v ** (1 / T_POWER) for v in y]
    centre, low, high = _limits_i(transformed, sizes, base, index)
    if centre is None:
        return None, low, high

    def back(value):
        if value is None:
            return None
        return 0.0 if value < 0 else value**T_POWER

    return back(centre), [back(v) for v in low], [back(v) for v in high]


LIMITS = {
    ChartKind.I: _limits_i,
    ChartKind.MR: _limits_mr,
    ChartKind.P: _limits_p,
    ChartKind.P_PRIME: _limits_pp,
    ChartKind.U: _limits_u,
    ChartKind.U_PRIME: _limits_up,
    ChartKind.C: _limits_c,
    ChartKind.G: _limits_g,
    ChartKind.T: _limits_t,
}
