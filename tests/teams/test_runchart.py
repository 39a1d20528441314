"""The Anhøj rules on cases computed by hand (and checked against qicharts2's table)."""

import pytest

from teams.runchart import analyse, binomial_quantile


@pytest.mark.parametrize(
    "n, longest_max, crossings_min",
    [
        # From the table in Anhøj's qicharts vignette: round(log2(n) + 3), qbinom(.05, n-1, .5).
        (10, 6, 2),
        (12, 7, 3),
        (14, 7, 4),
        (16, 7, 4),
        (20, 7, 6),
        (24, 8, 8),
        (30, 8, 10),
    ],
)
def test_limits_match_the_published_table(n, longest_max, crossings_min):
    values = [i % 2 for i in range(n)]  # n even, alternating: median 0.5, every point useful
    result = analyse(values)
    assert result["n_useful"] == n
    assert (result["longest_run_max"], result["crossings_min"]) == (longest_max, crossings_min)


def test_binomial_quantile_is_exact_at_the_edges():
    assert binomial_quantile(0.05, 0) == 0
    assert binomial_quantile(0.05, 1) == 0  # P(X=0) = .5 ≥ .05
    assert binomial_quantile(0.05, 4) == 0  # P(X=0) = 1/16 = .0625
    assert binomial_quantile(0.05, 5) == 1  # P(X=0) = 1/32 < .05; P(X≤1) = 6/32


def test_random_looking_series_has_no_signal():
    values = [5, 7, 4, 8, 6, 3, 9, 5, 7, 4, 8, 6]
    result = analyse(values)
    # Sorted: 3 4 4 5 5 6 6 7 7 8 8 9 -> median 6; the two 6s lie on the line.
    assert result["centre"] == 6
    assert result["n_useful"] == 10
    # Sides: - + - + (6) - + - + - + (6) -> runs of 1, nine crossings.
    assert (result["longest_run"], result["crossings"]) == (1, 9)
    assert (result["longest_run_max"], result["crossings_min"]) == (6, 2)
    assert result["signal"] is False


def test_a_shift_gives_a_long_run_signal():
    values = [10, 11, 9, 12, 10, 11, 9, 10, 20, 21, 22, 20, 19, 21, 23, 22]
    result = analyse(values)
    # Median of 16 values = (12 + 19) / 2 = 15.5; first 8 below, last 8 above.
    assert result["centre"] == 15.5
    assert (result["longest_run"], result["longest_run_max"]) == (8, 7)
    assert (result["crossings"], result["crossings_min"]) == (1, 4)
    assert result["long_run_signal"] and result["few_crossings_signal"] and result["signal"]


def test_points_on_the_median_neither_count_nor_break_a_run():
    values = [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    result = analyse(values)
    # Median 2: the four 2s are ignored; 1 1 1 | 3 3 3 3 is two runs, one crossing.
    assert result["centre"] == 2
    assert result["n_useful"] == 7
    assert (result["longest_run"], result["crossings"]) == (4, 1)
    assert result["longest_run_max"] == 6  # round(log2(7)) + 3 = round(2.807) + 3
    assert result["crossings_min"] == 1  # qbinom(.05, 6, .5)
    assert result["signal"] is False


def test_freeze_takes_the_centre_from_the_baseline_and_analyses_every_point():
    baseline = [10, 12, 11, 9, 10, 12, 11, 9]  # median 10.5
    after = [14, 15, 13, 16, 15, 14, 13, 15]  # all above 10.5
    result = analyse(baseline + after, freeze=8)
    assert result["centre"] == 10.5
    assert result["n_useful"] == 16
    # Baseline sides: - + + - - + + -  then eight +: the last run is 8 + ... long.
    assert result["longest_run"] == 8
    assert result["signal"] is True
    unfrozen = analyse(baseline + after)
    assert unfrozen["centre"] == 12.5


@pytest.mark.parametrize("values", [[], [4], [4, 4, 4]])
def test_too_few_useful_points_give_no_limits_and_no_signal(values):
    result = analyse(values)
    assert result["n_useful"] == 0
    assert result["longest_run_max"] is None and result["crossings_min"] is None
    assert result["signal"] is False


def test_two_points_have_limits_but_no_signal():
    result = analyse([1, 2])
    assert (result["centre"], result["n_useful"], result["longest_run"]) == (1.5, 2, 1)
    assert (result["longest_run_max"], result["crossings"], result["crossings_min"]) == (4, 1, 0)
    assert result["signal"] is False


def test_missing_periods_are_skipped_and_a_bad_freeze_is_refused():
    assert analyse([1, None, 3])["n_obs"] == 2
    with pytest.raises(ValueError, match="freeze must be between 1 and"):
        analyse([1, 2, 3], freeze=5)


def test_chart_labels_follow_the_language():
    import datetime as dt

    from django.utils import translation

    from teams.charts import axis_labels

    class Monthly:
        period = "month"

    class Weekly:
        period = "week"

    starts = [dt.date(2026, 5, 1), dt.date(2026, 10, 1)]
    with translation.override("nb"):
        assert axis_labels(Monthly, starts) == ["Mai 2026", "Okt 2026"]
        assert axis_labels(Weekly, [dt.date(2026, 3, 16)]) == ["u12 2026"]
    with translation.override("en"):
        assert axis_labels(Monthly, starts) == ["May 2026", "Oct 2026"]
        assert axis_labels(Weekly, [dt.date(2026, 3, 16)]) == ["w12 2026"]
