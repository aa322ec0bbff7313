"""Language of articles and of stray lines."""

from detente.clean.document import clean_document
from detente.clean.language import detect_language, foreign_line_language, normalise_language_tag
from detente.records import RawDocument

ENGLISH = (
    "Finland and Russia reopened two border crossings on Tuesday after weeks of closure, the Finnish "
    "interior ministry said. Officials said traffic would be limited to freight at first."
)
FRENCH = (
    "La Finlande et la Russie ont rouvert mardi deux points de passage après plusieurs semaines de "
    "fermeture, a indiqué le ministère finlandais de l'Intérieur."
)


def test_article_language():
    assert detect_language(ENGLISH).language == "en"
    assert detect_language(FRENCH).language == "fr"
    assert detect_language("12 345 --").language == "und"


def test_confident_foreign_line_is_flagged():
    assert foreign_line_language(FRENCH, "en", "LATIN") == "fr"


def test_names_and_short_lines_are_never_flagged():
    for line in ("Vladimir Putin", "Sergei Lavrov and Antony Blinken", "Moscow, Kremlin, Peskov", "NATO"):
        assert foreign_line_language(line, "en", "LATIN") is None


def test_english_lines_in_english_article_stay():
    assert foreign_line_language("Russia expels 10 Polish diplomats", "en", "LATIN") is None
    assert foreign_line_language(ENGLISH, "en", "LATIN") is None


def test_other_script_line_is_flagged_in_english_article():
    assert foreign_line_language("Министерство иностранных дел России", "en", "LATIN") == "ru"


def test_non_english_article_keeps_its_language_and_its_lines():
    result = clean_document(RawDocument("t", "fr1", text=f"Titre\n{FRENCH}\n{FRENCH}", metadata={"format": "text"}))
    assert result.article.language == "fr"
    assert not [line for line in result.removed if line.reason.startswith("foreign")]


def test_english_line_in_french_article_is_dropped():
    text = f"Titre\n{FRENCH}\n{ENGLISH}\n{FRENCH}"
    result = clean_document(RawDocument("t", "fr2", text=text, metadata={"format": "text"}))
    assert [line.reason for line in result.removed if line.reason != "title"] == ["foreign-language:en"]


def test_given_language_tag_wins_and_is_normalised():
    assert normalise_language_tag("en-US") == "en"
    result = clean_document(RawDocument("t", "x", text=ENGLISH, language="EN"))
    assert result.article.language == "en"
