"""Control charts against figures worked out by hand from qicharts2's formulas.

Source of every formula: qicharts2's R/helper.functions.R (qic.i, qic.mr, qic.p, qic.pp,
qic.u, qic.up, qic.c, qic.g, qic.t) and R/qic.R (freeze ignored when parts are given).
Each expected figure below is written out from those formulas in the comment beside it
and was checked on a calculator to the decimals shown.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teams.controlchart import ChartKind, analyse

approx = pytest.approx


def constant(values):
    assert len({v for v in values if v is not None}) <= 1, values
    return next((v for v in values if v is not None), None)


# --- I and MR -------------------------------------------------------------------------

SERIES = [5, 7, 6, 8, 6, 7, 5, 7, 6, 18]


def test_i_chart_screens_the_large_moving_range():
    chart = analyse(ChartKind.I, SERIES)
    # mean = 75 / 10 = 7.5. Moving ranges 2 1 2 2 1 2 2 1 12: mean 25/9 = 2.7778, upper
    # limit 3.267 × 2.7778 = 9.075, so the 12 is dropped: 13/8 = 1.625; sigma 1.625/1.128.
    sigma = 1.625 / 1.128
    assert constant(chart.cl) == 7.5
    assert constant(chart.lcl) == approx(7.5 - 3 * sigma) == approx(3.17819, abs=1e-5)
    assert constant(chart.ucl) == approx(7.5 + 3 * sigma) == approx(11.82181, abs=1e-5)
    assert chart.outside == [False] * 9 + [True]
    assert chart.outside_count == 1 and chart.signal


def test_i_chart_limits_are_symmetric_around_the_mean_and_may_be_negative():
    chart = analyse(ChartKind.I, [1, 5, 1, 5, 1, 5])
    # mean 3; moving ranges all 4 (none ≥ 3.267 × 4); sigma 4/1.128 = 3.546: lcl < 0.
    assert constant(chart.lcl) == approx(3 - 3 * 4 / 1.128) == approx(-7.6383, abs=1e-4)


def test_mr_chart_of_the_same_series():
    chart = analyse(ChartKind.MR, SERIES)
    # The first point has no moving range; centre = 25/9, no screening; UCL = 3.267 × CL.
    assert chart.y == [None, 2, 1, 2, 2, 1, 2, 2, 1, 12]
    assert constant(chart.cl) == approx(25 / 9)
    assert constant(chart.ucl) == approx(3.267 * 25 / 9) == approx(9.075, abs=1e-3)
    assert constant(chart.lcl) == 0
    assert chart.outside[-1] and chart.outside_count == 1
    assert not chart.runs_signal  # qicharts2 runs no runs analysis on an MR chart


def test_freeze_takes_centre_and_limits_from_the_baseline():
    chart = analyse(ChartKind.I, SERIES, freeze=9)
    # Baseline 5 7 6 8 6 7 5 7 6: mean 57/9 = 6.3333; ranges 2 1 2 2 1 2 2 1 = 13/8.
    sigma = 1.625 / 1.128
    assert constant(chart.cl) == approx(57 / 9)
    assert constant(chart.ucl) == approx(57 / 9 + 3 * sigma) == approx(10.65515, abs=1e-5)
    assert chart.freeze == 9 and chart.outside[-1]


def test_an_excluded_point_leaves_the_limits_but_is_still_marked():
    chart = analyse(ChartKind.I, SERIES, exclude=[9])
    # Without the 18 the figures are the baseline's above; the 18 itself is beyond them.
    assert constant(chart.cl) == approx(57 / 9)
    assert constant(chart.ucl) == approx(10.65515, abs=1e-5)
    assert chart.outside[-1]
    assert chart.parts[0].n_useful == 9  # nor is it in the runs analysis


def test_a_missing_period_breaks_the_moving_ranges_rather_than_bridging_them():
    chart = analyse(ChartKind.I, [5, 7, None, 8, 6])
    # mean 26/4 = 6.5; ranges 2, –, –, 2 → 2; sigma 2/1.128. (Bridged: 2 1 2 → 5/3.)
    assert constant(chart.cl) == 6.5
    assert constant(chart.ucl) == approx(6.5 + 3 * 2 / 1.128) == approx(11.81915, abs=1e-5)
    assert chart.y[2] is None and not chart.outside[2] and chart.n_obs == 4


def test_two_parts_each_have_their_own_centre_limits_and_runs():
    values = [5, 7, 6, 8, 6, 12, 14, 13, 15, 13]
    chart = analyse(ChartKind.I, values, parts=[5], freeze=3)  # freeze ignored with parts
    # Part 1: mean 32/5 = 6.4, ranges 2 1 2 2 → 1.75. Part 2: mean 67/5 = 13.4, the same
    # ranges; the jump 6 → 12 between the parts is in neither.
    sigma = 1.75 / 1.128
    assert chart.cl == [6.4] * 5 + [approx(13.4)] * 5
    assert chart.ucl[0] == approx(6.4 + 3 * sigma) == approx(11.05426, abs=1e-5)
    assert chart.ucl[9] == approx(13.4 + 3 * sigma) == approx(18.05426, abs=1e-5)
    assert [(p.start, p.end) for p in chart.parts] == [(0, 5), (5, 10)]
    assert chart.freeze is None and not chart.signal
    unparted = analyse(ChartKind.I, values)
    assert unparted.runs_signal  # one mean: five below then five above, one crossing


def test_a_shift_is_a_runs_signal_on_the_centre_line():
    values = [10, 11, 9, 12, 10, 11, 9, 10, 20, 21, 22, 20, 19, 21, 23, 22]
    chart = analyse(ChartKind.I, values)
    # Mean 250/16 = 15.625: eight below, eight above. Longest run 8 > round(log2 16) + 3
    # = 7; one crossing < qbinom(.05, 15, .5) = 4.
    part = chart.parts[0]
    assert constant(chart.cl) == 15.625
    assert (part.longest_run, part.longest_run_max, part.crossings, part.crossings_min) == (
        8,
        7,
        1,
        4,
    )
    assert part.long_run_signal and part.few_crossings_signal and chart.runs_signal


def test_a_constant_series_has_no_limits_as_in_qicharts2():
    chart = analyse(ChartKind.I, [4, 4, 4, 4])
    # Every range is 0, none below 3.267 × 0: the screened mean is empty (R: NaN).
    assert chart.cl == [4] * 4 and chart.ucl == [None] * 4 and not chart.signal


# --- P and P′ -------------------------------------------------------------------------


def test_p_chart_with_variable_denominators_steps_and_stays_within_0_and_1():
    chart = analyse(ChartKind.P, [9, 18, 45, 10], [10, 20, 50, 20], multiply=100)
    # p̄ = 82/100 = 0.82, p̄(1 − p̄) = 0.1476.
    # n = 10: sigma √0.01476 = 0.121491; UCL 1.1845 → 100 %, LCL 0.455527.
    # n = 20: sigma √0.00738 = 0.0859069; UCL 1.0777 → 100 %, LCL 0.5622792.
    # n = 50: sigma √0.002952 = 0.054332; UCL 0.982997, LCL 0.657003.
    assert constant(chart.cl) == approx(82)
    assert chart.ucl == [100, 100, approx(98.2997, abs=1e-4), 100]
    assert chart.lcl == [
        approx(45.5527, abs=1e-4),
        approx(56.2279, abs=1e-4),
        approx(65.7003, abs=1e-4),
        approx(56.2279, abs=1e-4),
    ]
    assert chart.y == [approx(90), approx(90), approx(90), approx(50)]
    assert chart.outside == [False, False, False, True]  # 50 % < 56.2 %


def test_p_prime_widens_limits_that_large_denominators_make_too_narrow():
    numerators, n = [50, 90, 20, 60], [1000] * 4
    plain = analyse(ChartKind.P, numerators, n)
    # p̄ = 220/4000 = 0.055; sigma √(0.055 × 0.945/1000) = 0.0072094: 0.0334 – 0.0766.
    assert constant(plain.ucl) == approx(0.076628, abs=1e-6)
    assert plain.outside == [False, True, True, False]
    prime = analyse(ChartKind.P_PRIME, numerators, n)
    # z = (p − p̄)/sigma = −0.69354, 4.85481, −4.85481, 0.69354; |Δz| = 5.54835, 9.70962,
    # 5.54835; σz = 6.93544/1.128 = 6.14844. UCL = 0.055 + 3 × 0.0072094 × 6.14844.
    # (With equal denominators that is p̄ + 3 × mean|Δp|/1.128 = 0.055 + 3 × 0.05/1.128.)
    assert constant(prime.ucl) == approx(0.055 + 3 * 0.05 / 1.128)
    assert constant(prime.ucl) == approx(0.187979, abs=1e-6)
    assert constant(prime.lcl) == 0  # 0.055 − 0.132981 < 0
    assert not any(prime.outside)


def test_a_missing_denominator_is_a_missing_period_with_no_limits():
    chart = analyse(ChartKind.P, [9, 5, 45], [10, None, 50])
    # p̄ = 54/60 = 0.9 from the two complete periods only.
    assert chart.y[1] is None and chart.ucl[1] is None and chart.lcl[1] is None
    assert constant(chart.cl) == approx(0.9)


# --- U and U′ -------------------------------------------------------------------------

FALLS, BED_DAYS = [3, 8, 2, 5], [1000, 2000, 1000, 1500]


def test_u_chart_per_1000_bed_days():
    chart = analyse(ChartKind.U, FALLS, BED_DAYS, multiply=1000)
    # ū = 18/5500 = 0.0032727; sigma √(ū/n): 0.0018091 (n 1000), 0.0012792 (2000),
    # 0.0014771 (1500). LCL below 0 everywhere → 0.
    assert constant(chart.cl) == approx(3.27273, abs=1e-5)
    assert chart.ucl == [
        approx(8.6999, abs=1e-4),
        approx(7.1104, abs=1e-4),
        approx(8.6999, abs=1e-4),
        approx(7.7040, abs=1e-4),
    ]
    assert chart.lcl == [0, 0, 0, 0]


def test_u_prime_chart():
    chart = analyse(ChartKind.U_PRIME, FALLS, BED_DAYS, multiply=1000)
    # z = −0.15076, 0.56855, −0.70364, 0.04103; |Δz| = 0.71931, 1.27219, 0.74467;
    # σz = 0.91206/1.128 = 0.80856. UCL(1000) = 3.2727 + 3 × 1.8091 × 0.80856 = 7.6610.
    sigma_z = 0.80856
    assert constant(chart.cl) == approx(3.27273, abs=1e-5)
    assert chart.ucl[0] == approx(3.27273 + 3 * 1.80907 * sigma_z, abs=1e-3)
    assert chart.ucl[0] == approx(7.6610, abs=1e-3)
    assert chart.ucl[1] == approx(3.27273 + 3 * 1.27920 * sigma_z, abs=1e-3)
    # Only the largest denominator lifts its LCL above 0: 3.2727 − 3 × 1.2792 × 0.80856.
    assert chart.lcl == [0, approx(0.1701, abs=1e-3), 0, 0]


# --- C, G and T -----------------------------------------------------------------------


def test_c_chart():
    chart = analyse(ChartKind.C, [2, 0, 1, 3, 0, 9])
    # c̄ = 15/6 = 2.5; UCL 2.5 + 3√2.5 = 7.24342; LCL 2.5 − 4.743 < 0 → 0.
    assert constant(chart.cl) == 2.5
    assert constant(chart.ucl) == approx(7.24342, abs=1e-5)
    assert constant(chart.lcl) == 0
    assert chart.outside == [False] * 5 + [True]


def test_g_chart_of_cases_between_falls():
    chart = analyse(ChartKind.G, [12, 30, 5, 48, 20, 25])
    # Mean 140/6 = 23.3333; sigma √(23.3333 × 24.3333) = 23.8281; UCL 94.8176; LCL 0.
    # The centre line drawn is the median, (20 + 25)/2 = 22.5.
    assert constant(chart.cl) == 22.5
    assert constant(chart.ucl) == approx(94.8176, abs=1e-4)
    assert constant(chart.lcl) == 0
    assert not chart.signal


def test_t_chart_of_days_between_events():
    days = [10, 20, 15, 30, 25, 12]
    chart = analyse(ChartKind.T, days)
    # An I chart of d^(1/3.6), transformed back with ^3.6.
    t = [d ** (1 / 3.6) for d in days]
    mean = sum(t) / 6
    ranges = [abs(b - a) for a, b in zip(t, t[1:], strict=False)]
    sigma = sum(ranges) / 5 / 1.128  # none at or above 3.267 × their mean
    assert max(ranges) < 3.267 * sum(ranges) / 5
    assert constant(chart.cl) == approx(mean**3.6)
    assert constant(chart.ucl) == approx((mean + 3 * sigma) ** 3.6)
    assert constant(chart.lcl) == approx(max(mean - 3 * sigma, 0) ** 3.6)
    assert mean**3.6 == approx(17.69, abs=0.01)  # under the plain mean of 18.67
    with pytest.raises(ValueError, match="greater than zero"):
        analyse(ChartKind.T, [3, 0, 4])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="Unknown chart"):
        analyse("xbar", [1, 2])
    with pytest.raises(ValueError, match="denominator"):
        analyse(ChartKind.P, [1, 2])
    with pytest.raises(ValueError, match="freeze must be"):
        analyse(ChartKind.I, [1, 2], freeze=3)


# --- Properties -----------------------------------------------------------------------

values = st.lists(
    st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)),
    min_size=0,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(values)
def test_i_limits_are_symmetric_around_the_centre(series):
    chart = analyse(ChartKind.I, series)
    for cl, lcl, ucl in zip(chart.cl, chart.lcl, chart.ucl, strict=True):
        if ucl is not None:
            assert ucl - cl == approx(cl - lcl, rel=1e-9, abs=1e-6)
            assert lcl <= cl <= ucl


@st.composite
def proportions(draw):
    n = draw(st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=30))
    numerators = [draw(st.integers(min_value=0, max_value=size)) for size in n]
    return numerators, n


@settings(max_examples=200, deadline=None)
@given(proportions(), st.sampled_from([ChartKind.P, ChartKind.P_PRIME]))
def test_p_limits_stay_within_0_and_1(data, kind):
    chart = analyse(kind, *data)
    for cl, lcl, ucl in zip(chart.cl, chart.lcl, chart.ucl, strict=True):
        assert 0 <= cl <= 1
        if ucl is not None:
            assert 0 <= lcl <= cl <= ucl <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=30),
    st.sampled_from([ChartKind.C, ChartKind.G, ChartKind.T, ChartKind.U, ChartKind.U_PRIME]),
)
def test_rare_event_and_count_limits_are_never_below_zero(counts, kind):
    n = [1000] * len(counts) if kind in ChartKind.WITH_DENOMINATOR else None
    chart = analyse(kind, counts, n)
    assert all(lcl is None or lcl >= 0 for lcl in chart.lcl)
    assert all(not math.isnan(v) for v in chart.ucl if v is not None)


def test_the_points_of_a_signalling_run_are_named():
    values = [10, 11, 9, 12, 10, 11, 9, 10, 20, 21, 22, 20, 19, 21, 23, 22]
    chart = analyse(ChartKind.I, values)
    # Both runs of eight are longer than the limit of 7: every point is in one.
    assert chart.in_long_run == [True] * 16
    one_run = analyse(ChartKind.I, [1, 9] * 5 + [6] * 8)
    # Mean 98/18 = 5.44: alternating, then the last 9 and eight 6s above it, a run of 9
    # > round(log2 18) + 3 = 7. Only those nine are marked.
    assert one_run.parts[0].longest_run == 9
    assert one_run.in_long_run == [False] * 9 + [True] * 9
    calm = analyse(ChartKind.I, [1, 3, 1, 3, 1, 3])
    assert calm.in_long_run == [False] * 6


def test_the_t_series_from_the_dates_of_the_events():
    import datetime as dt

    from teams.controlchart import days_between_events

    falls = [dt.date(2026, 3, 20), dt.date(2026, 1, 5), dt.date(2026, 2, 1), dt.date(2026, 2, 1)]
    # Sorted: 5 Jan, 1 Feb, 1 Feb, 20 Mar: 27 days, the same day (½), 47 days.
    assert days_between_events(falls) == [27, 0.5, 47]
    chart = analyse(ChartKind.T, days_between_events(falls))
    assert chart.n_obs == 3 and constant(chart.lcl) == 0
