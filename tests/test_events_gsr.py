"""PLOVER's gold-standard sentences (a dev set in ../shared, never copied here): targets of issue 4."""

from pathlib import Path

import pytest

from detente.events.evaluate import evaluate_gsr

GSR = Path(__file__).resolve().parents[2] / "shared" / "peers" / "plover" / "PLOVER_GSR_CAMEO.txt"


@pytest.mark.skipif(not GSR.exists(), reason="../shared/peers/plover is not beside this checkout")
def test_plover_gsr_type_and_triple_f1_meet_targets():
    scores = evaluate_gsr(GSR)
    assert scores["sentences"] > 300
    assert scores["type"]["f1"] >= 0.70
    assert scores["triple"]["f1"] >= 0.55
