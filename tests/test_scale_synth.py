import json
from datetime import date

from detente.scale.profiles import load_profiles
from detente.scale.synth import PlantRates, write_corpus


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _read(folder):
    articles = {}
    for shard in sorted((folder / "articles").glob("articles-*.jsonl")):
        for line in shard.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            articles[record["id"]] = record
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    return articles, gold


def test_same_seed_same_corpus_and_gold_matches_articles(tmp_path):
    rates = PlantRates(exact=0.3, near=0.3, rewrite=0.3)
    counts = write_corpus(120, tmp_path / "a", seed=7, rates=rates)
    write_corpus(120, tmp_path / "b", seed=7, rates=rates)
    assert (tmp_path / "a" / "gold.jsonl").read_bytes() == (tmp_path / "b" / "gold.jsonl").read_bytes()
    articles, gold = _read(tmp_path / "a")
    assert counts["articles"] == len(articles) == len(gold) == 120
    assert counts["exact"] and counts["near"] and counts["rewrite"]
    for entry in gold:
        assert entry["events"], entry["id"]
        original = entry.get("duplicate_of")
        if not original:
            continue
        copy, first = articles[entry["id"]], articles[original]
        if entry["dup_kind"] == "exact":
            assert copy["text"] == first["text"]
        elif entry["dup_kind"] == "rewrite":
            a, b = _shingles(copy["text"]), _shingles(first["text"])
            assert len(a & b) / len(a | b) < 0.5
            assert [e["type"] for e in entry["events"]][:1] == [
                e["type"] for e in next(g for g in gold if g["id"] == original)["events"]
            ][:1]


def test_leaders_come_from_the_dated_knowledge_base():
    profiles = load_profiles({"USA": 1, "RUS": 1})
    assert "Trump" in profiles["USA"].leader_phrase(date(2018, 6, 1))
    assert "Biden" in profiles["USA"].leader_phrase(date(2022, 6, 1))
    assert profiles["RUS"].leader_phrase(date(2010, 6, 1)).startswith("Russian President Dmitry Medvedev")
    assert profiles["USA"].adjective == "US"
