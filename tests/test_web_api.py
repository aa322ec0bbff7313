import pytest
from fastapi.testclient import TestClient

from detente.web.app import create_app
from tests.support import build_event_store


@pytest.fixture
def client(tmp_path):
    store = build_event_store(tmp_path / "w.duckdb")
    return TestClient(create_app(store.path))


def test_health_and_openapi(client):
    assert client.get("/api/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/events", "/api/relations", "/api/stories", "/api/reciprocity", "/api/actors"):
        assert path in spec["paths"]


def test_events_filters_and_pagination(client):
    everything = client.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] == 9
    dyad = client.get("/api/events", params={"dyad": "RUS,USA"}).json()
    assert dyad["total"] == 8 and all(
        {e["source"]["code"], e["target"]["code"]} == {"USA", "RUS"} for e in dyad["items"]
    )
    sanctions = client.get("/api/events", params={"dyad": "USA,RUS", "category": "sanction"}).json()
    assert sorted(e["event_id"] for e in sanctions["items"]) == ["e1", "e2", "e3"]
    material = client.get("/api/events", params={"actor": "CZE", "quad": 4}).json()
    assert [e["event_id"] for e in material["items"]] == ["e9"]
    window = client.get("/api/events", params={"since": "2021-06-01", "until": "2021-06-30"}).json()
    assert sorted(e["event_id"] for e in window["items"]) == ["e5", "e6"]
    hypothetical = client.get("/api/events", params={"modality": "hypothetical"}).json()
    assert [e["event_id"] for e in hypothetical["items"]] == ["e8"]
    text = client.get("/api/events", params={"q": "(e4)"}).json()
    assert [e["event_id"] for e in text["items"]] == ["e4"]
    page = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 9 and len(page["items"]) == 2 and page["offset"] == 2
    by_id = client.get("/api/events", params={"ids": "e2,e3"}).json()
    assert sorted(e["event_id"] for e in by_id["items"]) == ["e2", "e3"]
    assert by_id["items"][0]["article_title"].startswith("Headline")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"category": "HUG"}, "category"),
        ({"since": "15/04/2021"}, "YYYY-MM-DD"),
        ({"dyad": "USA"}, "two actor codes"),
        ({"modality": "maybe"}, "modality"),
        ({"dyad": "USA,RUS;DROP TABLE events"}, "two actor codes"),
    ],
)
def test_bad_parameters_get_clear_400(client, params, message):
    response = client.get("/api/events", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_page_size_is_bounded(client):
    assert client.get("/api/events", params={"limit": 100000}).status_code == 422
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422


def test_relations_and_reciprocity(client):
    record = client.get("/api/relations", params={"dyad": "USA,RUS", "freq": "month"}).json()
    assert record["dyad"] == ["USA", "RUS"]
    april = next(p for p in record["points"] if p["period_start"] == "2021-04-01")
    assert sorted(april["canonical_ids"]) == ["e2", "e3"]
    assert client.get("/api/relations", params={"dyad": "USA,RUS", "freq": "hourly"}).status_code == 400
    links = client.get("/api/reciprocity", params={"dyad": "USA,RUS"}).json()
    assert links["total"] == 1 and links["items"][0]["cue"] == "in response"


def test_article_detail_and_missing(client):
    article = client.get("/api/articles/d2").json()
    assert article["title"] == "Headline 2" and [e["event_id"] for e in article["events"]] == ["e2"]
    assert article["duplicate_of"] is None and article["copies"] == []
    assert client.get("/api/articles/nope").status_code == 404


def test_actors_and_articles_listing(client):
    actors = client.get("/api/actors").json()
    codes = [actor["code"] for actor in actors["items"]]
    assert codes[:2] == ["RUS", "USA"] and "CZE" in codes
    articles = client.get("/api/articles", params={"q": "Headline 3"}).json()
    assert [a["id"] for a in articles["items"]] == ["d3"]


def test_static_files_cannot_escape_their_folder(client):
    assert client.get("/").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py"):
        response = client.get(path)
        assert response.status_code == 404 or "create_app" not in response.text
