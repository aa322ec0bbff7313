"""Recipients the sentence implies and coordinated qualifiers, on sentences written for these tests."""

from datetime import date

from detente.events.extract import extract_text

ON = date(2003, 3, 10)


def triples(text: str) -> set[tuple[str | None, str, str | None]]:
    return {
        (e.source.code, e.event_type, e.target.code if e.target else None)
        for e in extract_text(text, ON)
        if e.modality != "negated"
    }


def test_place_of_the_event_is_the_recipient_when_none_is_named():
    assert ("GEO", "COERCE", "ARM") in triples("Georgian police imposed a curfew in Armenia on Sunday.")
    assert ("TUR", "CONSULT", "JOR") in triples("The Turkish foreign minister arrived in Amman on Monday.")


def test_a_meeting_venue_is_not_a_party():
    assert not any(t[2] == "AUT" for t in triples("Iranian and Saudi officials held talks in Vienna."))


def test_protest_and_repression_without_recipient_are_domestic():
    assert ("KEN", "PROTEST", "KEN") in triples("Kenyan students demonstrated outside the ministry on Friday.")
    assert ("PER", "COERCE", "PER") in triples("Peruvian police arrested dozens of people overnight.")


def test_unnamed_people_as_object_are_domestic():
    assert ("NPL", "ACCUSE", "NPL") in triples("The Nepalese government accused rebels of burning a bridge.")


def test_a_named_recipient_wins_over_implied_ones():
    assert triples("Chadian troops attacked Sudanese villages in Darfur.") >= {("TCD", "ASSAULT", "SDN")}
    assert not any(t[2] == "TCD" for t in triples("Chadian troops attacked Sudanese villages in Darfur."))


def test_coordinated_state_adjectives_give_one_actor_each():
    found = triples("Senior Bolivian and Chilean officials agreed to reopen the border.")
    assert {("BOL", "AGREE", "CHL"), ("CHL", "AGREE", "BOL")} <= found


def test_a_threat_is_aimed_at_whoever_its_condition_names():
    assert ("VEN", "THREATEN", "COL") in triples(
        "Venezuela threatened to close the border unless Colombia paid the debt."
    )


def test_a_state_named_inside_the_trigger_phrase_is_the_last_resort_recipient():
    found = triples("Ghana says it is willing to pull its engineers out of neighbouring Togo.")
    assert ("GHA", "AGREE", "TGO") in found


def test_unnamed_group_as_actor_takes_the_one_state_in_view():
    found = triples("Hundreds of farmers blocked the main road in Bolivia on Monday.")
    assert ("BOL", "PROTEST", "BOL") in found


def test_occupied_territories_are_palestine():
    assert ("ISR", "COERCE", "PSE") in triples("Israel reimposed a curfew in the Gaza Strip on Friday.")
