"""Event and tier of a relation, read from the sentences that speak of it.

Event cues are regular expressions in data/patterns/events.jsonl. Modality and negation
("plans to sign", "has yet to sign", "refused to suspend") come from the dependency parse:
a cue governed by a `plan` lemma becomes a proposal, one governed by a `negate` lemma is
dropped (a refused suspension is no suspension), see data/lexicons/modality.en.txt.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Span

from amity.extract.nlp import lemma_of
from amity.prefilter import fold
from amity.resources import data_jsonl, data_table

# When the sentences about a pair carry several events, the strongest wins.
EVENT_PRIORITY = (
    "termination",
    "suspension",
    "anniversary",
    "agreement",
    "intent",
    "proposal",
    "exchange",
    "mention",
)


@dataclass(frozen=True)
class EventCue:
    event: str
    start: int  # character offset inside the sentence
    end: int
    text: str


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((row["event"], re.compile(row["pattern"])) for row in data_jsonl("patterns/events.jsonl"))


@functools.cache
def _modality() -> dict[str, str]:
    return {row[0]: row[1] for row in data_table("lexicons/modality.en.txt")}


def find_event_cues(text: str) -> list[EventCue]:
    """Every event cue in a sentence, in text order."""
    folded = fold(text)
    cues = []
    for event, pattern in _patterns():
        for m in pattern.finditer(folded):
            cues.append(EventCue(event, m.start(), m.end(), text[m.start() : m.end()]))
    return sorted(cues, key=lambda c: (c.start, EVENT_PRIORITY.index(c.event)))


_DECISIONS = {"vote", "voted", "decide", "decided", "agree", "agreed", "resolve", "resolved", "opt", "opted", "elect", "elected", "choose", "chose", "move", "moved"}


def _lemma(token) -> str:
    """The lemma, or the word itself where the cheap pass ran without the lemmatizer."""
    return (lemma_of(token) or token.lower_).lower()


def cue_modality(sent: Span, cue: EventCue) -> str | None:
    """'plan' or 'negate' when the cue's head chain or window carries such a word, else None."""
    doc = sent.doc
    span = doc.char_span(sent.start_char + cue.start, sent.start_char + cue.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    lexicon = _modality()
    # the verb of the cue ("sign" in "signed a twinning agreement") and its governors
    token = next((t for t in span if t.pos_ in ("VERB", "AUX")), span.root)
    chain = [token, *list(token.ancestors)[:3]]
    effects = []
    for t in chain:
        for child in t.children:
            if child.dep_ in ("neg", "aux", "advmod") and child.lower_ in lexicon:
                effects.append(lexicon[child.lower_])
        if t is not token and _lemma(t) in lexicon and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            effects.append(lexicon[_lemma(t)])
    # a window catches what a shaky parse misses: "has yet to sign", "voted against ending"
    window = [t for t in doc[max(sent.start, span.start - 4) : span.start]]
    if window and window[-1].lower_ == "to" and token.i == span.start and token.pos_ == "VERB":
        # "Palmerston North to sign ...": not yet done; "voted to end ...": decided, so done
        decided = (len(window) >= 2 and _lemma(window[-2]) in _DECISIONS) or (
            token.dep_ == "xcomp" and _lemma(token.head) in _DECISIONS
        )
        if not decided:
            effects.append("plan")
    for t in window:
        word = t.lower_
        if word in ("yet", "not", "n't", "never", "against", "refused", "refuses", "declined", "rejected", "failed", "almost", "nearly"):
            effects.append("negate")
        elif _lemma(t) in lexicon and lexicon[_lemma(t)] == "plan" and t.pos_ in ("VERB", "AUX"):
            effects.append("plan")
    if "negate" in effects:
        return "negate"
    if "plan" in effects:
        return "plan"
    return None


_SIGNED = re.compile(r"(?i)\b(signed|inked|sealed)\b")
_NOT_DONE = re.compile(r"(?i)\b(to|be|will|would|not|yet|never)\s+(\w+\s+)?$")
_TIE_WORDS = re.compile(r"(?i)\b(sister|twin\w*|friend\w*|partner\w*|relation\w*|ties|cooperation|links?|sisterhood|pairing)\b")
_ANNIVERSARY_OF = re.compile(r"(?i)^\W*of\s+((?:[\w'’-]+[^\w.;]*){0,6})")
_ORDINAL_NUMBER = re.compile(r"(?i)\b(\d{1,4})(?:st|nd|rd|th)\s+(?:\w+\s+){0,2}$")


def signed_done(text: str) -> bool:
    """The sentence reports a signing that took place ("were signed", "signed an agreement"),
    not one planned ("to be signed", "will sign")."""
    return any(not _NOT_DONE.search(text[max(0, m.start() - 20) : m.start()]) for m in _SIGNED.finditer(text))


def anniversary_of_the_tie(text: str, cue: EventCue) -> bool:
    """"the 30th anniversary of their twinning" or a bare "30th anniversary" is the tie's; "the
    400th anniversary of the festival", "the 45th anniversary of diplomatic relations" are not."""
    number = _ORDINAL_NUMBER.search(text[max(0, cue.start - 30) : cue.start])
    if number and int(number.group(1)) > 100:
        return False
    m = _ANNIVERSARY_OF.match(text[cue.end :])
    if m is None or not re.search(r"(?i)anniversar|jubilee", cue.text):
        return True
    following = m.group(1)
    return bool(_TIE_WORDS.search(following)) and "diplomatic" not in following.lower()


_ALREADY = re.compile(r"(?i)\balready\b")
_INTENTION_TO = re.compile(r"(?i)\b(?:plan(?:s|ned|ning)?|intend(?:s|ed)?|aims?|seek(?:s|ing)?|hop(?:e|es|ed|ing))\s+to\s+(?P<verb>[a-z]+)")
_TIE_VERBS = re.compile(
    r"(?i)^(establish\w*|sign\w*|becom\w*|twin\w*|form\w*|forge\w*|formali[sz]\w*|creat\w*|pair\w*|partner\w*|"
    r"link\w*|enter\w*|set|build|launch\w*|upgrade\w*|conclud\w*|seal\w*|ink\w*|make|develop\w*|open\w*|"
    r"cut|end\w*|sever\w*|suspend\w*|terminat\w*|renew\w*|revok\w*|cancel\w*|withdraw\w*|break|pull|freeze|explore|"
    r"pursue|start|begin|initiate|submit|apply|seek|propose|approve|adopt|vote|consider|strike)$"
)


_OTHER_AFTER = re.compile(r"(?i)\W*(?:\w+\s+){0,2}?(?:any|all)?\s*other\b")
_VOTE_FOR = re.compile(r"(?i)^vot\w* (?:for|in favou?r)")
_YEARS_OF = re.compile(r"(?i)\b\d+\s+years\s+of\s+$")
_ADOPTED = re.compile(r"(?i)\b(opt(?:ed|ing) (?:instead )?for|adopt(?:ed|ing)|approv(?:ed|ing)|pass(?:ed|ing)|accept(?:ed|ing)|carried|endors(?:ed|ing)|back(?:ed|ing))\b(?![^.;]*\b(?:rejected|failed|defeated)\b)")


def _vote_on_other(sent_text: str, cue: EventCue) -> bool:
    """"the UK voted for Brexit": a vote on something other than a tie or a motion."""
    if not _VOTE_FOR.match(cue.text):
        return False
    after = sent_text[cue.end : cue.end + 50]
    return not _TIE_WORDS.search(after) and not re.search(r"(?i)\b(motion|resolution|proposal|recommendation|twinning|agreement)\b", after)


def _planned_act(sent_text: str, cue: EventCue) -> bool:
    """"plans to send a sculpture", "hopes to visit": a planned act inside the tie (an
    exchange), not a proposed tie ("plans to establish sister-city ties")."""
    m = _INTENTION_TO.match(sent_text, cue.start)
    if m is None:
        if re.match(r"(?i)explor|consider|pursu|seek|sought", cue.text):
            # "keen to look at more chances for exchanges"
            return not _A_TIE.search(sent_text[cue.end : cue.end + 70])
        return False
    return not _TIE_VERBS.match(m.group("verb")) and not _TIE_WORDS.search(sent_text[m.end() : m.end() + 60])


_A_TIE = re.compile(
    r"(?i)\b(sister|twin\w*|sisterhood|friendship (?:city|cities|province|relations|ties|agreement)|friendly (?:city|cities|relations)|"
    r"partner (?:city|town)|partnership|relationship|ties|affiliation|establish\w*)\b"
)


def classify_sentence(sent: Span) -> list[tuple[str, EventCue]]:
    """(event, cue) pairs stated by one sentence, after modality and negation.

    A planned agreement/intent is a proposal; a negated or planned suspension or termination
    leaves the relation as it was (mention); a negated agreement ("has yet to sign") is still
    only a proposal.
    """
    found = []
    cues = find_event_cues(sent.text)
    intents = [c for c in cues if c.event == "intent"]
    for cue in cues:
        # "a letter of intent to establish twinning": the establishing is what the letter intends
        if cue.event == "agreement" and any(i.start - 40 <= cue.start <= i.end + 40 for i in intents):
            continue
        if cue.event == "anniversary" and not anniversary_of_the_tie(sent.text, cue):
            continue
        if cue.event == "proposal" and _planned_act(sent.text, cue):
            found.append(("exchange", cue))
            continue
        if cue.event == "proposal" and (_OTHER_AFTER.match(sent.text, cue.end) or _vote_on_other(sent.text, cue)):
            continue  # "rules for approving other city affiliations", "voted for Brexit"
        if cue.event == "exchange" and _YEARS_OF.search(sent.text[max(0, cue.start - 20) : cue.start]):
            found.append(("mention", cue))  # "31 years of exchange visits": the tie's history
            continue
        if cue.event in ("proposal", "exchange", "anniversary"):
            found.append((cue.event, cue))
            continue
        if cue.event == "agreement" and _ALREADY.search(cue.text):
            found.append(("mention", cue))  # "... since Kobe already has a sisterhood agreement"
            continue
        modality = cue_modality(sent, cue)
        if modality == "plan" and cue.event in ("agreement", "intent") and signed_done(sent.text):
            modality = None  # "agreements to establish sister city ties were signed": done
        if modality == "plan" and cue.event in ("suspension", "termination") and _ADOPTED.search(sent.text[max(0, cue.start - 90) : cue.start]):
            modality = None  # "opting instead for the mayor's counter-proposal to freeze the relationship"
        if modality is None:
            found.append((cue.event, cue))
        elif cue.event in ("agreement", "intent"):
            found.append(("proposal", cue))
        else:
            found.append(("mention", cue))
    return found


def strongest(events: list[str]) -> str:
    if not events:
        return "mention"
    return min(events, key=EVENT_PRIORITY.index)

