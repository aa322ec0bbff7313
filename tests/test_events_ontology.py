import pytest

from detente.events.ontology import load_ontology
from detente.events.triggers import load_triggers
from detente.records import EVENT_TYPES


def test_ontology_has_the_sixteen_categories_with_quads_scores_and_cameo_roots():
    ontology = load_ontology()
    assert set(ontology.categories) == set(EVENT_TYPES)
    assert [ontology.category(name).quad for name in ("AGREE", "AID", "ACCUSE", "ASSAULT")] == [1, 2, 3, 4]
    assert ontology.score("CONSULT", "visit") == 4
    assert ontology.score("SANCTION", "expel") == -5.5
    assert ontology.score("SANCTION", None) == -6
    assert ontology.cameo_root("ACCUSE", "investigate") == "09"
    assert ontology.cameo_root("ACCUSE", "allege") == "11"
    assert ontology.category("SANCTION").intended_as == "THREATEN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia expelled ten diplomats.", True),
        ("They held talks in Paris.", True),
        ("The ministers met on Monday.", True),
        ("Relations have been strained for years.", False),
        # the noun's frame needs a governing verb ("held talks"); without one no parse can fit it
        ("The measure comes a week before a scheduled summit in Riga.", False),
        ("Leaders will hold a summit in Riga next week.", True),
        ("Trade talks between the two countries stalled again.", False),
        # hyphenated and closed spellings of multi-word triggers stand on their own
        ("Both sides declared a cease-fire within hours.", True),
        ("Warsaw re-imposed the entry ban on Tuesday.", True),
    ],
)
def test_fast_prefilter(text, expected):
    assert load_triggers().might_hold_event(text) is expected
