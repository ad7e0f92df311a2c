"""The duplicate check's quality on generated pairs stays where the README reports it: a change
to the folding or the scoring that loses real duplicates, or starts confusing siblings and
namesakes, fails here (the figures themselves come from bench/duplicates_quality_bench.py)."""

from __future__ import annotations

from bench.duplicates_quality_bench import run


def test_recall_and_false_positives_on_a_thousand_pairs_each():
    _missed, figures = run(1000, seed=7)
    assert figures["recall"] >= 0.95, figures["missed"]
    assert figures["false_positive_rate"] <= 0.01, figures["false_positives"]
