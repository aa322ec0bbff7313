import numpy as np
import pytest
import spacy

from detente.nlp.folded_embed import FOLDED, fold_hash_embeddings
from detente.nlp.spacy_model import load_pipeline, model_name

PARSE_ONLY = ("tagger", "attribute_ruler", "lemmatizer", "ner", "senter")
SENTENCES = [
    "Moscow expelled ten American diplomats on Tuesday in response to the new sanctions.",
    "The foreign minister said the talks in Geneva had been constructive but difficult.",
    "Washington urged the Kremlin to withdraw its troops from the border before the summit.",
    "Brussels, which had warned of consequences, imposed an entry ban on eight officials.",
    "",
]


def _stock():
    return spacy.load(model_name(), disable=list(PARSE_ONLY))


def test_folded_pipeline_parses_exactly_as_the_stock_one():
    stock, folded = _stock(), _stock()
    assert fold_hash_embeddings(folded) == 1
    assert any(node.name == FOLDED for node in folded.get_pipe("tok2vec").model.walk())
    for expected, found in zip(stock.pipe(SENTENCES), folded.pipe(SENTENCES), strict=True):
        assert [(token.dep_, token.head.i) for token in found] == [(token.dep_, token.head.i) for token in expected]
        assert found.tensor.shape == expected.tensor.shape
        if len(expected):
            assert np.abs(found.tensor - expected.tensor).max() < 1e-4


def test_extraction_pipeline_is_folded_and_refuses_training():
    nlp = load_pipeline(PARSE_ONLY)
    tok2vec = nlp.get_pipe("tok2vec").model
    assert any(node.name == FOLDED for node in tok2vec.walk())
    docs = [nlp.make_doc(SENTENCES[0])]
    with pytest.raises(RuntimeError, match="inference only"):
        tok2vec.begin_update(docs)


def test_unrecognised_architectures_are_left_alone():
    folded = _stock()
    fold_hash_embeddings(folded)
    assert fold_hash_embeddings(folded) == 0  # already folded: nothing matches the plain layout
