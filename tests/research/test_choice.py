"""The fitted choice among several institutions named (research/choice.py), opt-in beside the rule."""

from __future__ import annotations

import dataclasses

import pytest

from techguard.research.choice import FEATURES, ChoiceModel, load_model, model_from_dict
from techguard.research.resolver import Resolver

TEXT = "Institute for Cosmic Ray Research, The University of Tokyo, Kashiwa, Japan"
TOKYO = "https://ror.org/057zh3y96"
ICRR = "https://ror.org/008td3p62"


def test_shipped_model_matches_the_features() -> None:
    model = load_model()
    assert len(model.weights) == len(FEATURES)
    assert 0.0 <= model.threshold < 1.0
    data = {
        "version": "x",
        "features": [*FEATURES[1:], FEATURES[0]],
        "weights": [0.0] * len(FEATURES),
        "bias": 0.0,
        "threshold": 0.5,
    }
    with pytest.raises(ValueError, match="re-run"):
        model_from_dict(data)


def test_candidates_carry_the_features(sample_resolver: Resolver) -> None:
    candidates = sample_resolver.choice_candidates(TEXT)
    assert [c.ror_id for c in candidates] == [ICRR, TOKYO]  # order of appearance
    by_id = {c.ror_id: dict(zip(FEATURES, c.values, strict=True)) for c in candidates}
    # The rule picks the university, the ROR parent of the institute named before it.
    assert by_id[TOKYO]["rule_pick"] == 1.0 and by_id[ICRR]["rule_pick"] == 0.0
    assert by_id[TOKYO]["ancestor_of_named"] == 1.0 and by_id[ICRR]["descendant_of_named"] == 1.0
    assert by_id[ICRR]["first"] == 1.0 and by_id[TOKYO]["last"] == 1.0
    assert by_id[TOKYO]["country_written"] == 1.0
    assert sample_resolver.choice_candidates("The University of Tokyo") == []
    assert [c.ror_id for c in sample_resolver.choice_candidates("The University of Tokyo", least=1)] == [
        TOKYO
    ]


def _model(**weights: float) -> ChoiceModel:
    return ChoiceModel("test", tuple(weights.get(name, 0.0) for name in FEATURES), bias=0.0, threshold=0.6)


def test_the_model_decides_and_explains(sample_resolver: Resolver) -> None:
    rule = sample_resolver.resolve(TEXT)
    assert rule.ror_id == TOKYO and not any("choice model" in line for line in rule.explanation)
    # A model that prefers the first institution written answers it, and says which terms decided.
    first = Resolver(sample_resolver.index, choice=_model(first=3.0)).resolve(TEXT)
    assert first.ror_id == ICRR and first.others == (TOKYO,)
    line = next(line for line in first.explanation if line.startswith("choice model"))
    assert "first +3.00" in line and "p=0.95" in line
    # Below its threshold the string stays "ambiguous" with every institution named.
    unsure = Resolver(sample_resolver.index, choice=_model(first=0.1)).resolve(TEXT)
    assert unsure.status == "ambiguous" and unsure.ror_id is None
    assert {c[0] for c in unsure.candidates} == {TOKYO, ICRR}
    assert any("below the model's threshold" in line for line in unsure.explanation)


def test_memberships_keep_the_model(sample_resolver: Resolver) -> None:
    model = dataclasses.replace(_model(first=3.0), version="kept")
    resolver = Resolver(sample_resolver.index, choice=model).with_memberships(lambda i, d: ((), ()))
    assert resolver.resolve(TEXT).ror_id == ICRR
