"""Inference-time folding of spaCy's hash embeddings into the first layer that reads them.

spaCy's ``MultiHashEmbed`` looks up one 96-wide vector per token attribute (NORM, PREFIX, ...),
concatenates them and multiplies the result by a maxout layer's weights. The product is linear in
each looked-up vector, so each table can be multiplied by its slice of those weights once, at load
time: a token's pre-activation is then a sum of gathered rows, with no matrix product per token.
For en_core_web_sm this removes a third of tok2vec's arithmetic. The model, its weights and its
output are unchanged up to float rounding; training is not supported on a folded pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from thinc.api import Model

FOLDED = "folded_hashembed"
INFERENCE_ONLY = "a folded tok2vec is for inference only; load the pipeline again to train"


def fold_hash_embeddings(nlp: Language) -> int:
    """Fold every plain ``MultiHashEmbed`` of ``nlp``'s tok2vec layers; return how many were folded.

    Architectures this does not recognise (static vectors, character embeddings, transformers)
    are left as they are."""
    folded = 0
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            folded += sum(_fold(node) for node in list(model.walk()))
    return folded


def _fold(embed: Model) -> bool:
    """``embed`` is ``extract_features >> list2ragged >> with_array(concatenate(hashembeds)) >>
    with_array(maxout >> layernorm >> dropout) >> ragged2list``; rewrite its middle two steps."""
    if len(embed.layers) != 5 or embed.layers[0].name != "extract_features":
        return False
    lookups, projection = embed.layers[2], embed.layers[3]
    tables = [_hash_embed(branch) for branch in _single_child(lookups).layers]
    maxout = _first_named(projection, "maxout")
    if not tables or any(table is None for table in tables) or maxout is None or not maxout.has_param("W"):
        return False
    weights, bias = maxout.get_param("W"), maxout.get_param("b")
    n_out, n_pieces, n_in = weights.shape
    width = tables[0].get_param("E").shape[1]
    if n_in != width * len(tables):
        return False
    flat = weights.reshape(n_out * n_pieces, n_in)
    folded_tables = []
    for index, table in enumerate(tables):
        vectors = table.get_param("E")
        folded_tables.append(
            (
                vectors @ flat[:, index * width : (index + 1) * width].T,
                table.attrs["column"],
                table.attrs["seed"],
            )
        )
    _replace_child(lookups, _folded_lookup(folded_tables, bias.reshape(n_out * n_pieces)))
    _replace_in_tree(projection, maxout, _max_over_pieces(n_out, n_pieces))
    return True


def _folded_lookup(tables: list[tuple[Any, int, int]], bias: Any) -> Model:
    def forward(model: Model, ids: Any, is_train: bool) -> tuple[Any, Callable[..., Any]]:
        if is_train:
            raise RuntimeError(INFERENCE_ONLY)
        ops = model.ops
        total = ops.alloc2f(ids.shape[0], bias.shape[0])
        if ids.shape[0]:
            for table, column, seed in tables:
                keys = ops.hash(ops.as_contig(ids[:, column], dtype="uint64"), seed) % table.shape[0]
                total += ops.gather_add(table, keys)
            total += bias
        return total, _no_backprop

    return Model(FOLDED, forward)


def _max_over_pieces(n_out: int, n_pieces: int) -> Model:
    def forward(model: Model, summed: Any, is_train: bool) -> tuple[Any, Callable[..., Any]]:
        best, _which = model.ops.maxout(model.ops.reshape3f(summed, summed.shape[0], n_out, n_pieces))
        return best, _no_backprop

    return Model("max_over_pieces", forward)


def _no_backprop(*_args: Any) -> Any:
    raise RuntimeError(INFERENCE_ONLY)


def _hash_embed(branch: Model) -> Model | None:
    """The ``hashembed`` of ``ints-getitem >> hashembed``, if that is what ``branch`` is."""
    names = [layer.name for layer in branch.layers]
    if names != ["ints-getitem", "hashembed"]:
        return None
    table = branch.layers[1]
    return table if table.has_param("E") and table.attrs.get("column") is not None else None


def _single_child(model: Model) -> Model:
    return model.layers[0] if len(model.layers) == 1 else model


def _first_named(model: Model, name: str) -> Model | None:
    return next((node for node in model.walk() if node.name == name), None)


def _replace_child(parent: Model, replacement: Model) -> None:
    parent.layers[0] = replacement


def _replace_in_tree(root: Model, old: Model, new: Model) -> None:
    for node in root.walk():
        for index, child in enumerate(node.layers):
            if child is old:
                node.layers[index] = new
                return
