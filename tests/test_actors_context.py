"""Resolver cases from sentence context, on sentences written for these tests: unknown titled people,
peoples named by two demonyms, ethnic groups, and titles that do not fit a known surname."""

from datetime import date

import pytest

from detente.actors import default_resolver

ON = date(2001, 5, 1)


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


def found(resolver, text):
    return {m.text: m for m in resolver.find_mentions(text, ON)}


def test_unknown_titled_person_takes_the_one_state_of_the_sentence(resolver):
    mentions = found(resolver, "President Amadou Kelleti said Malian troops would stay in the north.")
    person = mentions["President Amadou Kelleti"]
    assert (person.code, person.sector, person.kind) == ("MLI", "GOV", "person")
    assert person.confidence < 0.6 and "one state" in person.why


def test_unknown_titled_person_stays_unresolved_when_the_sentence_names_two_states(resolver):
    mentions = found(resolver, "President Amadou Kelleti flew from Mali to Senegal on Tuesday.")
    assert "President Amadou Kelleti" not in mentions


def test_context_does_not_cross_sentences(resolver):
    mentions = found(resolver, "Gen. Tomas Rivero spoke. Chilean ministers left.")
    assert "Gen. Tomas Rivero" not in mentions


def test_state_adjective_before_a_demonym_names_the_state(resolver):
    mentions = found(resolver, "Bosnian Croats blocked the road while Albanians watched.")
    assert (mentions["Bosnian Croats"].code, mentions["Bosnian Croats"].sector) == ("BIH", "CVL")
    assert mentions["Albanians"].code == "ALB"


def test_ethnic_groups_are_not_the_state(resolver):
    mentions = found(resolver, "Ethnic Serbs in Kosovo met ethnic Albanian leaders.")
    assert not any(m.code in ("SRB", "ALB") for m in mentions.values())


def test_head_of_state_title_does_not_take_a_surname_of_someone_who_never_held_it(resolver):
    # Levy is a known Israeli foreign minister's surname, but never a president's
    mentions = found(resolver, "President Levy Okonjo thanked the Kenyan parliament.")
    person = mentions["President Levy Okonjo"]
    assert person.code == "KEN" and person.actor_id is None
