"""The cheaper reading of a relevant article gives what the plain one gave.

Each fast path is compared with the plain computation it replaces: the attribute ruler
answered per distinct token against spaCy's AttributeRuler (every token attribute, with and
without a parse), lemmas worked out on demand against the lemmatizer, the parse of relation
sentences on the cheap pass's tokens, remembered dates, and the relation-word test with its
pre-check. The sentences are written for these tests; news-dev is read at run time.
"""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from amity.extract.attributes import FastAttributeRuler, use_fast_attribute_ruler
from amity.extract.nlp import MODEL, lemma_of, lemmas_on_demand
from shared_paths import require_shared

# Every kind of pattern of the model's ruler: tags, words ("gonna", "y'all", "ain't",
# "Let's", "c'mon", "gotta", "gets"/"got"), pronouns as subject and object, "do" as a main
# verb, "there is", auxiliaries, "but" as an adverb, spaces and line breaks.
TEXTS = [
    "I gonna sign it, y'all ain't seen nothing yet. Let's go!  C'mon, we gotta twin with Lyon.",
    "He gets what he got from them, and it was signed by you and me in 2019.",
    "There is a partnership between Bor and Longyan; there were talks, but nobody did it.\n\nDo you know whether the council does?",
    "What they have done is what I had hoped: they have twinned, which is all that matters.",
    "Whatever that means , these cities\tare  partners now .",
]
ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def model():
    return spacy.load(MODEL)


def _same_tokens(a: Doc, b: Doc) -> bool:
    return (a.to_array(ATTRS) == b.to_array(ATTRS)).all() and [str(t.morph) for t in a] == [
        str(t.morph) for t in b
    ]


def _ruled_both_ways(model, texts, parsed: bool) -> list[tuple[Doc, Doc]]:
    spacy_ruler = model.get_pipe("attribute_ruler")
    fast_ruler = FastAttributeRuler(spacy_ruler)
    upstream = ["tok2vec", "tagger", "parser"] if parsed else ["tok2vec", "tagger"]
    pairs = []
    with model.select_pipes(enable=upstream):
        for doc in model.pipe(texts):
            copy = Doc(doc.vocab).from_bytes(doc.to_bytes())
            pairs.append((spacy_ruler(doc), fast_ruler(copy)))
    return pairs


@pytest.mark.parametrize("parsed", [False, True])
def test_fast_attribute_ruler_writes_what_spacy_writes(model, parsed):
    for plain, fast in _ruled_both_ways(model, TEXTS, parsed):
        assert _same_tokens(plain, fast), [
            (t.text, t.pos_, u.pos_, str(t.morph), str(u.morph), t.lemma_, u.lemma_)
            for t, u in zip(plain, fast, strict=True)
            if (t.pos_, str(t.morph), t.lemma_) != (u.pos_, str(u.morph), u.lemma_)
        ]
    # the special words did get their own attributes (the test would be empty otherwise)
    plain, _ = _ruled_both_ways(model, ["We gotta go."], parsed)[0]
    assert plain[2].lemma_ == "to"


def test_fast_attribute_ruler_on_news_dev(model):
    path = require_shared("corpus/news-dev/articles.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()[:12]
    texts = [p for line in lines for p in json.loads(line)["text"].split("\n") if p.strip()]
    for parsed in (False, True):
        pairs = _ruled_both_ways(model, texts, parsed)
        assert sum(len(doc) for doc, _ in pairs) > 2000
        assert all(_same_tokens(plain, fast) for plain, fast in pairs)


def test_pipeline_uses_the_fast_ruler_unless_a_pattern_is_unsupported():
    nlp = spacy.load(MODEL)
    use_fast_attribute_ruler(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.pipe_names.index("attribute_ruler") == 3  # where the model had it

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "new"}, {"LOWER": "south"}, {"LOWER": "wales"}]], {"POS": "PROPN"})
    use_fast_attribute_ruler(blank)  # a three-token pattern: spaCy's ruler stays
    assert type(blank.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


def test_lemmas_on_demand_are_the_lemmatizers(model):
    with_lemmas = list(model.pipe(TEXTS))
    with model.select_pipes(disable=["lemmatizer"]):
        without = list(model.pipe(TEXTS))
    for full, doc in zip(with_lemmas, without, strict=True):
        assert all(t.lemma_ == "" or t.lemma_ == u.lemma_ for t, u in zip(doc, full, strict=True))
        lemmas_on_demand(doc, model)
        assert [lemma_of(t) for t in doc] == [t.lemma_ for t in full]
    cheap = model.make_doc("Nothing marks this doc")
    assert lemma_of(cheap[0]) == ""  # not marked: the lemma stays what it was


def test_relation_sentences_are_parsed_on_the_cheap_pass(gazetteer):
    from amity.extract.nlp import load_nlp
    from amity.extract.reading import Sentence, _parse, read

    nlp = load_nlp()
    text = (
        "The city council met on Monday.\n"
        "Bor and Longyan signed an agreement to become sister cities, the mayor said.\n"
        "Officials had planned to sign it last year."
    )
    reading = read(text, nlp, gazetteer)
    parsed = [s for s in reading.sentences if s.parsed is not None]
    assert parsed
    for sentence in parsed:
        assert [t.text for t in sentence.parsed] == [t.text for t in sentence.span]
        assert sentence.parsed.doc.has_annotation("DEP")
        assert [t.tag_ for t in sentence.parsed] == [t.tag_ for t in sentence.span]
        assert any(lemma_of(t) == "sign" for t in sentence.parsed)

    # a cheap pass that left no tok2vec output: each sentence is parsed from its text instead
    with nlp.select_pipes(disable=["tok2vec", "tagger", "parser", "lemmatizer"]):
        bare = nlp("Leeds has twinned with Dortmund and Lille.")
    sentences = [Sentence(0, 0, bare[:], 0)]
    _parse(sentences, nlp)
    assert sentences[0].parsed.doc is not bare
    assert [t.text for t in sentences[0].parsed] == [t.text for t in bare]
    assert sentences[0].parsed.doc.has_annotation("DEP")


def test_remembered_dates_are_fresh_lists():
    import datetime as dt

    from amity.extract.dates import date_in, find_dates

    published = dt.date(2021, 12, 16)
    first = find_dates("signed on Dec 6 and again last Friday", published)
    first.clear()
    again = find_dates("signed on Dec 6 and again last Friday", published)
    assert [m.value for m in again] == ["2021-12-06", "2021-12-10"]
    assert find_dates("signed on Dec 6", published, "future")[0].value == "2022-12-06"
    assert date_in("signed on Dec 6", published).value == "2021-12-06"


def _has_relation_words_plainly(text: str) -> bool:
    """The test as it was before the pre-check."""
    from amity.extract.reading import _relation_words
    from amity.prefilter import excluded_spans

    for start, end in excluded_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return bool(_relation_words().search(text))


@pytest.mark.parametrize(
    "text",
    [
        "Their ties go back decades.",
        "Activities of the Twin Cities chamber.",  # "ties" inside a word only
        "The Twin Citiespartnership was odd.",  # an exclusion that ends right before a word
        "Sister Cities International has a partnership programme.",
        "Sister Cities International",
        "",
        "PARTNERSHIP LINKS",
    ],
)
def test_relation_word_precheck_changes_no_answer(text):
    from amity.extract.reading import _has_relation_words

    assert _has_relation_words(text) == _has_relation_words_plainly(text)
