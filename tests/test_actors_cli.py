"""``detente actors lookup|stats|validate``."""

import json

from typer.testing import CliRunner

from detente.cli.app import app

runner = CliRunner()


def test_lookup_json_resolved():
    result = runner.invoke(app, ["actors", "lookup", "Lavrov", "--date", "2020-01-01", "--json"])
    assert result.exit_code == 0, result.output
    fields = json.loads(result.output)
    assert (fields["code"], fields["sector"], fields["actor_id"]) == ("RUS", "GOV", "RUS-lavrov-sergey")
    assert fields["role"] == "Foreign Minister" and 0 < fields["confidence"] <= 1 and fields["why"]


def test_lookup_json_unresolved_has_null_code():
    result = runner.invoke(app, ["actors", "lookup", "Nobody Special", "--json"])
    assert result.exit_code == 0
    fields = json.loads(result.output)
    assert fields["code"] is None and fields["confidence"] == 0.0


def test_lookup_text_shows_why():
    result = runner.invoke(app, ["actors", "lookup", "Brussels"])
    assert result.exit_code == 0
    assert "ambiguous with: BEL" in result.output and "why" in result.output


def test_lookup_bad_date_is_config_error():
    result = runner.invoke(app, ["actors", "lookup", "Lavrov", "--date", "yesterday"])
    assert result.exit_code != 0


def test_stats():
    result = runner.invoke(app, ["actors", "stats", "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["states"] >= 195 and stats["people"] > 0 and stats["roles"] > 0 and stats["names"] > 1000
    assert {row["date"] for row in stats["coverage"]} >= {"2015-01-01", "2021-06-16", "2025-02-01"}


def test_validate_reports_one_line_per_problem(tmp_path):
    good = runner.invoke(app, ["actors", "validate"])
    assert good.exit_code == 0 and "ok" in good.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("people: [{id: X-a, name: A, roles: [{country: XXX, sector: BOSS, title: P}]}]\n", encoding="utf-8")
    result = runner.invoke(app, ["actors", "validate", str(bad)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith(str(bad))]
    assert len(lines) == 1 and "BOSS" in lines[0]
