"""amity.evaluate: matching and scoring on hand-made gold and predictions."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amity.errors import BadInput
from amity.evaluate import (
    gold_as_prediction,
    load_gold,
    load_predictions,
    name_keys,
    normalize_name,
    place_matches,
    render,
    score,
    value_accepted,
)


def gold_place(*names, country=None, **extra):
    place = {"names": list(names), **extra}
    if country:
        place["country"] = country
    return place


def pred_place(name, country=None, **extra):
    return {"name": name, "country": country, **extra}


def gold_relation(a, b, **values):
    return {
        "a": a,
        "b": b,
        "tier": "sister",
        "event": "agreement",
        "event_date": [],
        "established": None,
        **values,
    }


def pred_relation(a, b, **values):
    return {
        "a": a,
        "b": b,
        "tier": "sister",
        "event": "agreement",
        "event_date": None,
        "established": None,
        **values,
    }


LYON = gold_place("Lyon", "Lyons", country="FR")
BIRMINGHAM = gold_place("Birmingham", country="GB")


def one(gold_rel, pred_rels, **article):
    gold = [{"id": "x", "relations": [gold_rel] if gold_rel else [], "claims": [], **article}]
    return score(gold, [{"id": "x", "relations": pred_rels, "claims": []}])


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("  Ho  Chi   Minh City ", "ho chi minh city"),
        ("Xi'an", "xi an"),
        ("Wrocław", "wroclaw"),
        ("Frankfurt (Oder)", "frankfurt oder"),
        ("MÜNCHEN", "munchen"),
    ],
)
def test_normalize_name_casefolds_strips_accents_and_punctuation(raw, expected):
    assert normalize_name(raw) == expected


def test_name_keys_drop_generic_suffixes_and_add_canonical():
    assert name_keys({"name": "Goyang-si"}) == {"goyang si", "goyang"}
    assert name_keys({"name": "Quebec City"}) == {"quebec city", "quebec"}
    assert name_keys({"name": "Changning District"}) == {"changning district", "changning"}
    assert "kobe" in name_keys({"name": "Kobe-shi"})
    assert "chongzuo" in name_keys({"name": "Chongzuo Shi", "canonical": "Chongzuo"})
    assert name_keys({"name": "Pogranichny", "canonical": "Pogranichnyy"}) == {
        "pogranichny",
        "pogranichnyy",
    }


def test_place_matches_requires_the_gold_country():
    assert place_matches(pred_place("lyons", "FR"), LYON)
    assert place_matches(pred_place("Lyon", "fr"), LYON)
    assert not place_matches(pred_place("Lyon", "US"), LYON)
    assert not place_matches(pred_place("Lyon", None), LYON)  # a missing country does not match
    assert place_matches(pred_place("Lyon", "FR"), gold_place("Lyon"))  # gold without country
    assert not place_matches(
        pred_place("", "FR"), gold_place("", country="FR")
    )  # empty never matches


# --- pairs --------------------------------------------------------------------------------


def test_score_matches_pairs_in_either_order():
    report = one(
        gold_relation(LYON, BIRMINGHAM),
        [pred_relation(pred_place("Birmingham", "GB"), pred_place("Lyon", "FR"))],
    )
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (1, 0, 0)
    assert report.f1 == 1.0
    assert report.errors == []


def test_score_country_mismatch_is_a_miss_and_a_spurious_pair():
    report = one(
        gold_relation(LYON, BIRMINGHAM),
        [pred_relation(pred_place("Lyon", "FR"), pred_place("Birmingham", "US"))],
    )
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (0, 1, 1)
    (result,) = report.errors
    assert result.missing == ["Lyon (FR) – Birmingham (GB)"]
    assert result.spurious == ["Lyon (FR) – Birmingham (US)"]


def test_score_matches_one_to_one():
    pred = pred_relation(pred_place("Lyon", "FR"), pred_place("Birmingham", "GB"))
    report = one(gold_relation(LYON, BIRMINGHAM), [pred, dict(pred)])
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (1, 1, 0)


def test_score_optional_relation_is_neither_tp_nor_fp():
    optional = gold_relation(
        gold_place("Liaocheng", country="CN"), gold_place("Paks", country="HU")
    )
    gold = [
        {
            "id": "x",
            "relations": [gold_relation(LYON, BIRMINGHAM)],
            "optional": [optional],
            "claims": [],
        }
    ]
    only_required = [pred_relation(pred_place("Lyon", "FR"), pred_place("Birmingham", "GB"))]
    with_optional = [
        *only_required,
        pred_relation(pred_place("Paks", "HU"), pred_place("Liaocheng", "CN")),
    ]
    for relations in (only_required, with_optional):
        report = score(gold, [{"id": "x", "relations": relations}])
        assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (1, 0, 0)
    assert score(gold, [{"id": "x", "relations": with_optional}]).optional_matched == 1


def test_score_accepts_list_valued_gold_attributes():
    gold_rel = gold_relation(
        LYON,
        BIRMINGHAM,
        event=["intent", "agreement"],
        event_date=["--11-15", "2023-11-15"],
        established=[1996, None],
    )
    pred = pred_relation(
        pred_place("Lyon", "FR"),
        pred_place("Birmingham", "GB"),
        event="intent",
        event_date="--11-15",
        established=None,
    )
    report = one(gold_rel, [pred])
    assert all(acc.correct == acc.total == 1 for acc in report.attributes.values())


def test_score_reports_wrong_attribute_values():
    gold_rel = gold_relation(
        LYON, BIRMINGHAM, tier="friendly", event_date=["2023-03-03"], established=1996
    )
    pred = pred_relation(
        pred_place("Lyon", "FR"),
        pred_place("Birmingham", "GB"),
        tier="sister",
        event_date=None,
        established=1997,
    )
    report = one(gold_rel, [pred])
    assert report.pairs.tp == 1
    wrong = {w.field: (w.predicted, w.accepted) for w in report.errors[0].wrong}
    assert wrong == {
        "tier": ("sister", ["friendly"]),
        "event_date": (None, ["2023-03-03"]),
        "established": (1997, [1996]),
    }
    assert report.attributes["event"].accuracy == 1.0
    assert report.attributes["tier"].accuracy == 0.0


@pytest.mark.parametrize(
    ("gold_value", "predicted", "accepted"),
    [
        ([], None, True),  # empty list: no date
        ([], "2023-01-01", False),
        ([None, "2023"], None, True),  # null in the list: no date is fine
        (["2023-05"], None, False),
        (None, None, True),  # scalar null vs predicted null
        ("2023-05-01", "2023-05-01", True),
    ],
)
def test_value_accepted_event_date(gold_value, predicted, accepted):
    assert value_accepted("event_date", predicted, gold_value) is accepted


def test_score_counts_predictions_on_negative_articles():
    gold = [
        {"id": "neg", "relations": [], "claims": []},
        {"id": "neg2", "relations": [], "claims": []},
    ]
    pred = [
        {
            "id": "neg",
            "relations": [pred_relation(pred_place("Lyon", "FR"), pred_place("Porto", "PT"))],
        },
        {"id": "neg2", "relations": []},
    ]
    report = score(gold, pred)
    assert report.negative_articles == 2
    assert report.negative_articles_with_predictions == 1
    assert report.negative_relations == 1
    assert report.pairs.fp == 1
    assert report.recall == 1.0 and report.precision == 0.0


def test_score_matches_prediction_by_gold_file_stem():
    gold = [
        {
            "id": "seed-000",
            "file": "seeds/000_abc.txt",
            "relations": [gold_relation(LYON, BIRMINGHAM)],
            "claims": [],
        }
    ]
    pred = [
        {
            "id": "000_abc",
            "relations": [pred_relation(pred_place("Lyon", "FR"), pred_place("Birmingham", "GB"))],
        }
    ]
    report = score(gold, pred)
    assert report.pairs.tp == 1
    assert report.results[0].predicted_id == "000_abc"


def test_score_article_without_prediction_misses_everything():
    gold = [{"id": "x", "relations": [gold_relation(LYON, BIRMINGHAM)], "claims": []}]
    report = score(gold, [{"id": "other", "relations": []}])
    assert report.pairs.fn == 1
    assert report.results[0].problems == ["no prediction for this article"]
    assert report.unmatched_predictions == ["other"]


def test_score_claims_and_officials():
    gold_rel = gold_relation(
        LYON,
        BIRMINGHAM,
        officials=[{"name": "Anne Müller", "role": "Mayor"}, {"name": "Bob Li", "role": "Mayor"}],
    )
    pred = pred_relation(
        pred_place("Lyon", "FR"),
        pred_place("Birmingham", "GB"),
        officials=[{"name": "anne muller", "role": "mayor"}],
    )
    gold = [
        {
            "id": "x",
            "relations": [gold_rel],
            "claims": [
                {"subject": "CN", "text": "t", "pairs_min": 2800},
                {"subject": "JP", "text": "t", "pairs": 10},
            ],
        }
    ]
    predicted = [
        {
            "id": "x",
            "relations": [pred],
            "claims": [
                {"subject": "CN", "text": "u", "pairs_min": 2800},
                {"subject": "CN", "text": "u", "pairs": 5},
            ],
        }
    ]
    report = score(gold, predicted)
    assert (report.claims.tp, report.claims.fp, report.claims.fn) == (1, 1, 1)
    assert (report.officials.correct, report.officials.total) == (1, 2)
    assert report.errors[0].missing_claims == ["JP: pairs=10"]


def test_report_to_dict_is_json_and_render_escapes_markup():
    evil = gold_place("[bold red]Evil[/]", country="FR")
    report = one(gold_relation(evil, BIRMINGHAM), [])
    data = report.to_dict()
    json.dumps(data)
    assert data["pairs"] == {"tp": 0, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.0, "f1": 0.0}
    assert data["errors"][0]["missing"] == ["[bold red]Evil[/] (FR) – Birmingham (GB)"]
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(render(report))
    assert "[bold red]Evil[/]" in console.export_text()


# --- files --------------------------------------------------------------------------------


def test_load_gold_names_file_and_line_of_malformed_json(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"id": "a", "relations": []}\n\n{"id": "b", "relations": [\n', encoding="utf-8"
    )
    with pytest.raises(BadInput) as info:
        load_gold(path)
    assert f"{path}:3" in str(info.value)


def test_load_predictions_rejects_non_objects_and_missing_ids(tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"pred\.jsonl:1: expected a JSON object"):
        load_predictions(path)
    path.write_text('{"relations": []}\n', encoding="utf-8")
    with pytest.raises(BadInput, match="no 'id'"):
        load_predictions(path)
    with pytest.raises(BadInput, match="cannot read file"):
        load_predictions(tmp_path / "missing.jsonl")


# --- property -----------------------------------------------------------------------------

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüß- '", min_size=1, max_size=12).filter(
    lambda s: normalize_name(s) != ""
)
_places = st.builds(
    lambda names, country: gold_place(*names, country=country),
    st.lists(_names, min_size=1, max_size=3),
    st.one_of(st.none(), st.sampled_from(["FR", "GB", "CN", "KR", "US"])),
)
_dates = st.one_of(
    st.just([]),
    st.lists(
        st.one_of(st.none(), st.sampled_from(["2021", "2021-12-06", "--06-02"])),
        min_size=1,
        max_size=3,
    ),
)
_relations = st.builds(
    lambda a, b, tier, event, date, established: gold_relation(
        a, b, tier=tier, event=event, event_date=date, established=established
    ),
    _places,
    _places,
    st.one_of(
        st.sampled_from(["sister", "friendly"]),
        st.lists(st.sampled_from(["sister", "friendly"]), min_size=1),
    ),
    st.one_of(
        st.sampled_from(["agreement", "mention", "intent"]),
        st.lists(st.sampled_from(["agreement", "exchange"]), min_size=1),
    ),
    _dates,
    st.one_of(
        st.none(),
        st.integers(1900, 2030),
        st.lists(st.one_of(st.none(), st.integers(1900, 2030)), min_size=1),
    ),
)
_claims = st.lists(
    st.builds(
        lambda subject, n, key: {"subject": subject, "text": "t", key: n},
        st.sampled_from(["CN", "JP"]),
        st.integers(1, 5000),
        st.sampled_from(["pairs", "pairs_min"]),
    ),
    max_size=2,
)
_gold = st.lists(
    st.builds(
        lambda relations, claims: {"relations": relations, "claims": claims},
        st.lists(_relations, max_size=4),
        _claims,
    ),
    max_size=5,
).map(lambda articles: [{"id": f"g{i}", **a} for i, a in enumerate(articles)])


@settings(max_examples=200, deadline=None)
@given(_gold)
def test_score_of_gold_against_itself_is_perfect(gold):
    report = score(gold, gold_as_prediction(gold))
    assert report.pairs.fp == report.pairs.fn == 0
    assert report.pairs.tp == sum(len(a["relations"]) for a in gold)
    assert report.f1 == 1.0
    assert all(acc.accuracy == 1.0 for acc in report.attributes.values())
    assert report.claims.fp == report.claims.fn == 0
    assert report.errors == []
