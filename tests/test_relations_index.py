from datetime import date

import pytest

from detente.events.ontology import load_ontology
from detente.records import ActorRef, Event
from detente.relations.analysis import analyse_dyad
from detente.relations.dyads import parse_dyad
from detente.relations.index import CountedEvent, Dyad, index_value, period_start, relation_series
from detente.relations.reciprocity import LinkWeights, find_links
from detente.relations.trend import trend, turning_points

USA_RUS = Dyad("USA", "RUS", frozenset({"USA"}), frozenset({"RUS"}))


def counted(
    event_id, day, source, target, event_type="ACCUSE", score=-2.0, quad=3, mode=None, sources=1,
    modality="asserted", cue=None,
):  # fmt: skip
    event = Event(
        event_id=event_id,
        doc_id=f"doc-{event_id}",
        sentence_index=0,
        sentence=f"sentence {event_id}",
        event_type=event_type,
        source=ActorRef(text=source, code=source),
        target=ActorRef(text=target, code=target),
        mode=mode,
        quad=quad,
        score=score,
        date=day,
        modality=modality,
        response_cue=cue,
    )
    return CountedEvent(event, num_articles=sources, num_sources=sources)


def test_period_start_for_each_frequency():
    day = date(2021, 4, 15)  # a Thursday
    assert period_start(day, "day") == day
    assert period_start(day, "week") == date(2021, 4, 12)
    assert period_start(day, "month") == date(2021, 4, 1)
    assert period_start(day, "quarter") == date(2021, 4, 1)
    assert period_start(date(2021, 12, 31), "quarter") == date(2021, 10, 1)
    assert period_start(day, "year") == date(2021, 1, 1)
    with pytest.raises(ValueError, match="unknown frequency"):
        period_start(day, "fortnight")


def test_index_follows_documented_formula_with_source_weights():
    events = [
        counted("a", date(2021, 4, 15), "USA", "RUS", "SANCTION", -5.5, 4, "expel", sources=3),
        counted("b", date(2021, 4, 16), "RUS", "USA", "SANCTION", -5.5, 4, "expel", sources=1),
        counted("c", date(2021, 4, 20), "USA", "RUS", "CONSULT", 1.0, 1, sources=2),
        counted("x", date(2021, 4, 20), "USA", "CHN", "ACCUSE", -2.0, 3),  # other dyad
    ]
    [point] = relation_series(events, USA_RUS, "month")
    weights = 3 + 1 + 2
    score_sum = 3 * -5.5 + 1 * -5.5 + 2 * 1.0
    assert point.n_events == 3
    assert point.score_sum == pytest.approx(score_sum)
    assert point.score_mean == pytest.approx(score_sum / weights)
    assert point.index == pytest.approx(score_sum / (10 * (weights + 1)))
    assert point.counts == {"CONSULT": 1, "SANCTION": 2}
    assert point.quad_counts == {1: 1, 4: 2}
    assert sorted(point.canonical_ids) == ["a", "b", "c"]

    [directed] = relation_series(events, USA_RUS, "month", directed=True)
    assert directed.n_events == 2 and directed.score_sum == pytest.approx(3 * -5.5 + 2 * 1.0)


def test_empty_periods_are_filled_with_neutral_points_and_bad_modalities_left_out():
    events = [
        counted("a", date(2021, 1, 10), "USA", "RUS", score=-2.0),
        counted("n", date(2021, 2, 10), "USA", "RUS", score=-9.0, modality="negated"),
        counted("h", date(2021, 2, 11), "USA", "RUS", score=-9.0, modality="hypothetical"),
        counted("b", date(2021, 3, 10), "RUS", "USA", score=4.0, quad=1),
    ]
    points = relation_series(events, USA_RUS, "month")
    assert [p.period_start for p in points] == [date(2021, 1, 1), date(2021, 2, 1), date(2021, 3, 1)]
    assert [p.n_events for p in points] == [1, 0, 1]
    assert points[1].index == 0.0
    assert points[2].index == pytest.approx(index_value(4.0, 1.0))


def test_index_is_bounded_and_shrinks_thin_evidence():
    assert index_value(-10.0, 1.0) == pytest.approx(-0.5)
    assert index_value(-100.0, 10.0) == pytest.approx(-100 / 110)
    assert -1.0 <= index_value(-1e9, 1.0) <= 1.0
    assert index_value(0.0, 0.0) == 0.0


def test_theil_sen_trend_and_direction():
    events = [counted(f"e{m}", date(2020, m, 5), "USA", "RUS", score=-1.0 * m) for m in range(1, 9)]
    analysis = analyse_dyad(events, USA_RUS, "month")
    expected = [index_value(-1.0 * m, 1.0) for m in range(1, 9)]
    assert [p.index for p in analysis.points] == pytest.approx(expected)
    assert analysis.trend is not None
    assert analysis.trend.slope_per_period == pytest.approx(-0.05)  # each month: -1/(10*2)
    assert analysis.trend.direction == "worsening"
    assert analysis.trend.slope_per_year == pytest.approx(-0.6)
    assert trend([]) is None


def test_turning_point_found_at_the_change_and_explained_by_its_events():
    events = [counted(f"coop{m}", date(2021, m, 3), "USA", "RUS", "CONSULT", 4.0, 1) for m in range(1, 7)]
    events += [
        counted(f"conf{m}", date(2021, m, 3), "USA", "RUS", "SANCTION", -8.0, 4, sources=2) for m in range(7, 13)
    ]
    analysis = analyse_dyad(events, USA_RUS, "month")
    [turn] = analysis.turning_points
    assert turn.period_start == date(2021, 7, 1)
    assert turn.direction == "towards conflict"
    assert turn.before == pytest.approx(index_value(4.0, 1.0))
    assert turn.after == pytest.approx(index_value(-16.0, 2.0))
    assert turn.canonical_ids == ["conf7"]  # the evidence moves in the direction of the turn


def test_no_turning_point_in_a_flat_noisy_series():
    events = [counted(f"e{m}", date(2021, m, 3), "USA", "RUS", score=-2.0 - 0.1 * (m % 2)) for m in range(1, 13)]
    assert turning_points(analyse_dyad(events, USA_RUS, "month").points) == []


def test_lone_events_between_empty_months_are_not_turning_points():
    events = [counted(f"e{y}", date(y, 3, 3), "USA", "RUS", "SANCTION", -6.0, 4) for y in (2018, 2019, 2020)]
    analysis = analyse_dyad(events, USA_RUS, "month")
    assert len(analysis.points) == 25 and sum(1 for p in analysis.points if p.n_events) == 3
    assert analysis.turning_points == []


def test_tit_for_tat_links_in_kind_with_cue_and_builds_chains():
    action = counted("uk", date(2018, 3, 14), "GBR", "RUS", "SANCTION", -5.5, 4, "expel")
    response = counted("ru", date(2018, 3, 17), "RUS", "GBR", "SANCTION", -5.5, 4, "expel", cue="in response")
    third = counted("uk2", date(2018, 3, 30), "GBR", "RUS", "SANCTION", -6.0, 4, "discontinue")
    unrelated = counted("cz", date(2018, 3, 16), "CZE", "RUS", "SANCTION", -5.5, 4, "expel")
    cooperative = counted("talk", date(2018, 3, 20), "RUS", "GBR", "CONSULT", 1.0, 1)
    links = find_links([third, response, unrelated, action, cooperative])
    pairs = [(link.action.event_id, link.response.event_id) for link in links]
    assert pairs == [("uk", "ru"), ("ru", "uk2")]
    weights = LinkWeights()
    first, second = links
    assert first.cue == "in response"
    assert first.confidence == pytest.approx(
        min(1.0, weights.same_mode + weights.cue + weights.proximity * (1 - 3 / 60)), abs=1e-4
    )
    assert second.confidence == pytest.approx(weights.same_type + weights.proximity * (1 - 13 / 60), abs=1e-4)
    assert first.chain_id == second.chain_id


def test_tit_for_tat_respects_window_and_rejects_de_escalation():
    action = counted("a", date(2021, 1, 1), "USA", "RUS", "SANCTION", -7.0, 4, "discontinue")
    too_late = counted("b", date(2021, 6, 1), "RUS", "USA", "SANCTION", -7.0, 4, "discontinue")
    milder = counted("c", date(2021, 1, 5), "RUS", "USA", "ACCUSE", -2.0, 3)
    assert find_links([action, too_late, milder]) == []
    escalation = counted("d", date(2021, 1, 5), "RUS", "USA", "ASSAULT", -9.0, 4, cue="retaliation")
    [link] = find_links([action, escalation])
    assert link.confidence == pytest.approx(0.20 + 0.35 + 0.20 * (1 - 4 / 60), abs=1e-4)


def test_groups_expand_and_dyad_spec_errors():
    groups = {"WEST": frozenset({"USA", "GBR", "EU"})}
    dyad = parse_dyad("west,rus", groups)
    assert dyad.side_a == frozenset({"WEST", "USA", "GBR", "EU"}) and dyad.side_b == frozenset({"RUS"})
    events = [
        counted("a", date(2022, 2, 24), "GBR", "RUS", score=-5.0),
        counted("b", date(2022, 2, 25), "RUS", "EU"),
    ]
    [point] = relation_series(events, dyad, "month")
    assert point.n_events == 2
    with pytest.raises(Exception, match="two actor codes"):
        parse_dyad("USA", groups)


def test_ontology_scores_are_whole_or_half_points():
    # The relations stage sums weighted scores in SQL in no set order; halves keep those sums exact.
    for category in load_ontology().categories.values():
        for score in (category.score, *(mode.score for mode in category.modes.values())):
            assert (score * 2).is_integer(), (category.name, score)
