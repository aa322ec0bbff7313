"""The knowledge base: loading, validation of user files, dated lookups, G20 leader coverage."""

from datetime import date

import pytest

from detente.actors import Resolver, default_resolver, load_kb
from detente.actors.kb import collect_problems
from detente.actors.stats import counts, leaders
from detente.errors import ConfigError

COVERAGE_DATES = (date(2015, 1, 1), date(2021, 6, 16), date(2025, 2, 1))


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_packaged_kb_is_valid_and_sized(kb):
    assert collect_problems()[1] == []
    sizes = counts(kb)
    assert sizes["states"] >= 195 and sizes["organisations"] >= 40 and sizes["people"] > 0
    assert sizes["roles"] >= sizes["people"]
    assert load_kb() is kb  # cached


def test_state_record(kb):
    russia = kb.state("rus")
    assert (russia.code, russia.name, russia.capital) == ("RUS", "Russia", "Moscow")
    assert "Russian" in russia.adjectives and "the Kremlin" in russia.metonyms
    with pytest.raises(ConfigError, match="unknown state code"):
        kb.state("XXX")


def test_holders_are_dated(kb):
    [(person, role)] = kb.holders("USA", date(2022, 6, 1), ("President",))
    assert (person.id, role.title) == ("USA-biden-joe", "President")
    [(person, _)] = kb.holders("USA", date(2025, 6, 1), ("President",))
    assert person.id == "USA-trump-donald"


def test_user_people_file_extends_the_kb(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "country: CZE\n"
        "people:\n"
        "  - id: CZE-novak-jan\n"
        "    name: Jan Novak\n"
        "    short: [Novak]\n"
        "    roles:\n"
        "      - {country: CZE, sector: GOV, title: Foreign Minister, start: 2030-01-01}\n",
        encoding="utf-8",
    )
    kb = load_kb([extra])
    assert "CZE-novak-jan" in kb.people
    mention = Resolver(kb).find_mentions("Jan Novak arrived.", date(2030, 6, 1))[0]
    assert (mention.code, mention.sector, mention.actor_id) == ("CZE", "GOV", "CZE-novak-jan")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("people: [{id: X-a, name: A, roles: [{country: XXX, sector: GOV, title: P}]}]", "country 'XXX'"),
        ("people: [{id: X-a, name: A, roles: [{country: RUS, sector: BOSS, title: P}]}]", "unknown sector 'BOSS'"),
        (
            "people: [{id: X-a, name: A, roles: [{country: RUS, sector: GOV, title: P, start: 2020-13-01}]}]",
            "month must be in 1..12",
        ),
        ("people: [{id: X-a, name: A, roles: [{country: RUS, sector: GOV, title: P, start: 'soon'}]}]", "not a date"),
        ("people: [{id: X-a, name: A, roles: []}]", "non-empty `roles`"),
        ("states: [{code: ZZZ}]", "missing `name`"),
        ("- just a list", "expected a mapping"),
        ("people: [{id: X-a, name: A, roles: [{country: RUS, sector: GOV, title: P,", "not valid YAML"),
    ],
)
def test_invalid_user_files_name_file_and_problem(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_kb([bad])
    assert str(bad) in str(raised.value)


def _g20_members(kb, on):
    # The AU joined in 2023; it is an organisation whose leaders no people file covers yet.
    return [code for code in kb.organisations["G20"].members_on(on) if code != "AU"]


@pytest.mark.parametrize("on", COVERAGE_DATES, ids=str)
def test_g20_heads_of_state_and_government_known_and_resolvable(kb, on):
    resolver = default_resolver()
    missing = [code for code in _g20_members(kb, on) if not leaders(kb, code, on)]
    assert missing == [], f"no head of state/government on {on} for {missing}"
    for code in _g20_members(kb, on):
        for person, _ in leaders(kb, code, on):
            by_name = resolver.lookup(person.name, on)
            assert by_name is not None and by_name.code == code, (person.name, by_name)
            if person.short:
                # A surname shared by two office holders (Han Zheng, Han Duck-soo) must say so.
                by_surname = resolver.lookup(person.short[0], on)
                assert by_surname is not None, person.short[0]
                assert code == by_surname.code or code in by_surname.ambiguous_with, (person.short[0], by_surname)
