"""ClaimReader: the counts of one sentence (or hard-wrapped lines read together), each with its
scope, subject and partner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from amity.extract.claims.numbers import NUMBER, parse_number, parse_ordinal
from amity.extract.claims.patterns import (
    AFTER_STOP,
    AT_LEAST,
    BEFORE_STOP,
    BLOC_RE,
    CAPS_RUN,
    CLAUSE_BREAK,
    COUNT_RE,
    COUNTRIES_RE,
    ELLIPSIS_RE,
    EVENT_COUNT,
    LEADING_WORDS,
    MODIFIERS,
    NEW,
    NOT_PLACES,
    NUMBER_OF_RE,
    ORDINAL_RE,
    PAST_TIME,
    POSSESSION,
    PRONOUN,
    REGION_RE,
    REGIONS,
    REL_STRONG,
    VERB_GAP,
    WITH_RE,
    subject_bodies,
)
from amity.types import Claim


@dataclass
class Mention:
    """A place, country or region named in a sentence (character offsets in the sentence)."""

    start: int
    end: int
    name: str
    country: str | None = None  # ISO2 when the mention is a country or its demonym
    region: str | None = None  # "Africa" for "Africa"/"African"
    known: bool = True  # a place the gazetteer or the reading knows

    @property
    def national(self) -> bool:
        return self.country is not None


@dataclass
class _Count:
    start: int  # where the count phrase starts (the number or quantifier)
    end: int
    number_start: int
    value: int
    at_least: bool
    text: str
    kind: str  # count | ordinal | with | number_of | ellipsis
    weak: bool = False


# compiled once: `regex.match(pattern, ...)` looks each pattern up in the module's cache
_POSSESSIVE_END = regex.compile(r"['’]s$")
_LEADING_THE = regex.compile(r"(?i)the\s")
_WORD = regex.compile(r"[\w’'.&-]+")
_WORD_AND_SPACE = regex.compile(r"[\w’'.&-]+\s*")
_ANY_WORD = regex.compile(r"\d|[A-Za-z]")
_INTERNATIONAL = regex.compile(r"^\s+International\b")


def _clean_subject(name: str) -> str:
    name = name.strip().strip(",.;:").strip()
    name = _POSSESSIVE_END.sub("", name)
    if _LEADING_THE.match(name):
        name = name[4:]
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


class ClaimReader:
    """Reads the claims of one article sentence by sentence, remembering what a pronoun or an
    elided count ("Lille has 9") refers to."""

    def __init__(
        self,
        country_codes_in: Callable[[str], list[str]],
        is_place: Callable[[str], bool] | None = None,
        anchor: str | None = None,
    ):
        self.country_codes_in = country_codes_in
        self.is_place = is_place
        self.anchor = anchor
        self.previous: list[list[Mention]] = []  # mentions of the sentences read so far
        self.previous_texts: list[str] = []
        self.last_claim_index = -10  # sentence index of the last claim
        self.last_subject: tuple[str, str | None] | None = None  # (scope, subject)

    # -- mentions ---------------------------------------------------------------------------
    def mentions(self, text: str, places: Sequence[tuple[int, int, str]] = ()) -> list[Mention]:
        found: list[Mention] = []
        masked = text
        for pattern, _code in subject_bodies():  # "Chinese People's Association ..." is a body
            for m in pattern.finditer(masked):
                masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
        for m in REGION_RE.finditer(masked):
            if not m.group(0)[0].isupper():
                continue
            found.append(Mention(m.start(), m.end(), m.group(0), region=REGIONS[_norm(m.group(0))]))
            masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
        for start, end, name in places:
            if not any(x.start < end and start < x.end for x in found):
                code = self._country_of(name)
                if code is not None:
                    found.append(Mention(start, end, name, country=code))
                else:
                    found.append(Mention(start, end, _clean_subject(name)))
        for m in CAPS_RUN.finditer(masked):
            words = m.group(0)
            offset = m.start()
            # drop leading function words ("So far, Nantong", "Among them")
            while True:
                first = _WORD.match(words)
                if not first or first.group(0).casefold().rstrip(".") not in LEADING_WORDS:
                    break
                rest = _WORD_AND_SPACE.match(words)
                offset += rest.end()
                words = words[rest.end() :]
            words = words.rstrip(".-&'’") if not words.endswith("D.C.") else words
            if not words:
                continue
            self._add_run(found, words, offset)
        found.sort(key=lambda x: x.start)
        return found

    def _country_of(self, words: str) -> str | None:
        codes = self.country_codes_in(words)
        if len(codes) != 1:
            return None
        bare = _POSSESSIVE_END.sub("", words.strip())
        # the whole run must be the country ("China", "Israeli", "the United States"), not a
        # place that contains one ("Mexico City", "Washington, D.C.")
        if self.is_place is not None and len(bare.split()) > 1:
            tail = bare.split()[-1]
            if tail.casefold() in ("city", "province", "county", "state", "prefecture", "d.c."):
                return None
        return codes[0]

    def _add_run(self, found: list[Mention], words: str, offset: int) -> None:
        end = offset + len(words)
        if any(x.start < end and offset < x.end for x in found):
            return
        # split a hyphenated compound: "China-Central Asia", "Serbian-Chinese"
        if "-" in words and all(part[:1].isupper() for part in words.split("-") if part):
            position = offset
            parts = words.split("-")
            if len(parts) == 2 and all(
                self.country_codes_in(p) or REGION_RE.fullmatch(p.strip()) for p in parts
            ):
                for part in parts:
                    self._add_run(found, part, position)
                    position += len(part) + 1
                return
        code = self._country_of(words)
        if code is not None:
            found.append(Mention(offset, end, words, country=code))
            return
        # the longest known place that starts the run ("Izumisano Mayor Chiyomatsu")
        tokens = words.split()
        for n in range(len(tokens), 0, -1):
            name = " ".join(tokens[:n])
            if name.casefold() in NOT_PLACES:
                continue
            stop = offset + len(name)
            if self.is_place is None or self.is_place(_clean_subject(name)):
                found.append(
                    Mention(offset, stop, _clean_subject(name), known=self.is_place is not None)
                )
                return
        found.append(Mention(offset, end, _clean_subject(words), known=False))

    # -- reading ----------------------------------------------------------------------------
    def read(
        self,
        text: str,
        places: Sequence[tuple[int, int, str]] = (),
        default_subject: str | None = None,
    ) -> list[Claim]:
        """The claims of one sentence; `places` are (start, end, name) of places the reading
        found in it."""
        mentions = self.mentions(text, places) if _ANY_WORD.search(text) else []
        counts = self._counts(text)
        claims: list[Claim] = []
        previous_subject: tuple[str, str | None, str | None] | None = None
        for count in counts:
            if (
                count.kind == "ellipsis"
                and not claims
                and self.last_claim_index < len(self.previous) - 1
            ):
                continue  # "Tiberias has 4" only right after a count of relations
            found = self._subject(text, count, mentions, previous_subject, default_subject)
            if found is None:
                continue
            scope, subject, partner, explicit = found
            if partner is not None and scope == "national":
                scope = "bilateral"
            if (
                count.weak
                and not (scope == "bilateral" and explicit)
                and not claims
                and not POSSESSION.search(text[: count.start])
            ):
                continue  # "across 46 partnerships" of a programme; "Tiberias has 10 siblings" is a count
            if (
                count.weak
                and scope == "local"
                and regex.search(r"(?i)\b(?:partnerships|pairs)\b", count.text)
                and self.is_place is not None
                and not self.is_place(subject)
                and not regex.search(r"(?i)\b(?:sister|twin|twinn|friendship|friendly)", text)
            ):
                continue  # "Acme has 40 partnerships": not a place's relations
            if (
                count.kind in ("count", "with")
                and EVENT_COUNT.search(text[: count.start])
                and PAST_TIME.search(text)
            ):
                continue  # "In the 1970s the City entered into two Sister City relationships"
            if scope != "local" and partner is None and not explicit:
                partner = self._discourse_partner(subject)
            if partner is not None and scope == "national":
                scope = "bilateral"
            claim = Claim(
                subject=subject,
                text=count.text,
                scope=scope,
                partner=partner if scope == "bilateral" else None,
            )
            if count.at_least:
                claim.pairs_min = count.value
            else:
                claim.pairs = count.value
            countries = COUNTRIES_RE.match(text[count.end :]) if count.kind != "ordinal" else None
            if countries:
                value = parse_number(countries.group("n"))
                if value is not None and value >= 1:
                    if countries.group("q2"):
                        claim.countries_min = value
                    else:
                        claim.countries = value
            claims.append(claim)
            previous_subject = (scope, subject, claim.partner)
        self.previous.append(mentions)
        self.previous_texts.append(text)
        if claims:
            self.last_claim_index = len(self.previous) - 1
        return claims

    def _counts(self, text: str) -> list[_Count]:
        counts: list[_Count] = []

        def overlaps(start: int, end: int) -> bool:
            return any(c.start < end and start < c.end for c in counts)

        consumed = 0
        for m in COUNT_RE.finditer(text):
            if m.start() < consumed:
                continue  # the "and two Friendship Cities" of a sum already read
            value = parse_number(m.group("n"))
            if value is None or _is_year(m.group("n"), value) or value < 2 and not m.group("q1"):
                continue
            if (
                BEFORE_STOP.search(text[: m.start("n")])
                and not m.group("q1")
                or NEW.match(m.group("rel"))
            ):
                continue
            rest = text[m.end() :]
            if AFTER_STOP.match(rest) or _INTERNATIONAL.match(rest):
                continue
            end = m.end()
            # "three Sister Cities, and two Friendship Cities"
            more = regex.match(
                rf"(?i)^,?\s+(?:and|plus)\s+(?P<n>{NUMBER})\s+{MODIFIERS}(?:{REL_STRONG})\b", rest
            )
            if more and parse_number(more.group("n")):
                value += parse_number(more.group("n"))
                end += more.end()
                consumed = end
            counts.append(
                _Count(
                    m.start(),
                    end,
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    text[m.start() : end].strip(),
                    "count",
                    weak=bool(m.group("weak")),
                )
            )
        for m in ORDINAL_RE.finditer(text):
            value = parse_ordinal(m.group("ord"))
            if value is None or value < 2 or overlaps(m.start(), m.end()):
                continue
            if AFTER_STOP.match(text[m.end() :]) or regex.match(
                r"^\s+International\b", text[m.end() :]
            ):
                continue
            counts.append(
                _Count(m.start(), m.end(), m.start(), value, False, m.group(0), "ordinal")
            )
        for m in WITH_RE.finditer(text):
            value = parse_number(m.group("n"))
            if (
                value is None
                or value < 2
                or _is_year(m.group("n"), value)
                or overlaps(m.start("n"), m.end())
            ):
                continue
            if regex.search(r"(?i)\bnew\s+(?:\w+\s+){0,3}$", text[: m.start()]):
                continue
            if regex.match(
                rf"(?i)^(?:/\w+)?,?\s+and\s+{NUMBER}\s+(?:\w+\s+)?(?:cities|towns|provinces|states|regions|municipalities|counties|prefectures)\b",
                text[m.end() :],
            ):
                continue  # "with 410 provinces/states and 1,520 cities": no one count of pairs
            counts.append(
                _Count(
                    m.start(),
                    m.end(),
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    text[m.start() : m.end()],
                    "with",
                )
            )
        for m in NUMBER_OF_RE.finditer(text):
            if overlaps(m.start("n"), m.end("n")):
                continue
            value = parse_number(m.group("n"))
            if value is None:
                continue
            at_least = (
                bool(m.group("q1"))
                or regex.search(r"(?i)exceed|surpass|top", m.group("verb")) is not None
            )
            counts.append(
                _Count(m.start(), m.end(), m.start("n"), value, at_least, m.group(0), "number_of")
            )
        for m in ELLIPSIS_RE.finditer(text):
            value = parse_number(m.group("n"))
            if (
                value is None
                or value < 2
                or overlaps(m.start("n"), m.end("n"))
                or _is_year(m.group("n"), value)
            ):
                continue
            counts.append(
                _Count(
                    m.start(),
                    m.end(),
                    m.start("n"),
                    value,
                    bool(m.group("q1")),
                    m.group(0),
                    "ellipsis",
                )
            )
        counts.sort(key=lambda c: c.start)
        return counts

    # -- subjects ---------------------------------------------------------------------------
    def _subject(
        self,
        text: str,
        count: _Count,
        mentions: list[Mention],
        previous: tuple[str, str | None, str | None] | None,
        default_subject: str | None,
    ) -> tuple[str, str, str | None, bool] | None:
        """(scope, subject, partner, explicit) of a count, or None."""
        before = text[: count.number_start if count.kind != "with" else count.start]
        after = text[count.end :]
        partner, pair = self._partner(text, count, mentions)
        if pair is not None:  # "between China and Russia", "China-Central Asia"
            return ("bilateral", pair[0], pair[1], True)
        if count.kind == "ellipsis":
            subject = next((x for x in mentions if x.start >= count.start), None)
            if subject is None or subject.region or not (subject.known or previous):
                return None
            return self._as_subject(subject, partner, text, explicit=True)
        # a possessive right before the count: "Guangzhou's 100th friendship city"
        owner = regex.search(r"(?P<name>\S[^,;]*?)['’]s\s+(?:\w+\s+)?$", before)
        if owner:
            mention = next(
                (
                    x
                    for x in reversed(mentions)
                    if x.end <= owner.end("name") + 2 and x.end >= owner.end("name") - 1
                ),
                None,
            )
            if mention is not None and not mention.region:
                return self._as_subject(mention, partner, text, explicit=True)
        if regex.search(r"(?i)\b(?:its|their|his|her)\s+(?:\w+\s+)?$", before):
            resolved = self._resolve_pronoun(text, count, mentions)
            if resolved is not None:
                return self._as_subject(resolved, partner, text, explicit=True)
        # "the ninth sister city of Leeds"
        of = regex.match(r"^\s+(?:of|for)\s+", after)
        if of:
            mention = next((x for x in mentions if x.start == count.end + of.end()), None)
            if mention is not None and not mention.region:
                return self._as_subject(mention, partner, text, explicit=True)
        # the nearest place or country before the count in its clause
        clause_start = 0
        for b in CLAUSE_BREAK.finditer(before):
            clause_start = b.end()
        clause = before[clause_start:]
        pronoun = PRONOUN.search(
            regex.sub(
                r"(?i)\s+(?:now|currently|already|also|so\s+far|to\s+date)?\s*(?:has|have|had)\s+(?:\w+\s+){0,3}$",
                "",
                clause,
            ).rstrip()
        )
        candidates = [
            x
            for x in mentions
            if x.end <= len(before)
            and x.start >= clause_start
            and not x.region
            and (x.known or x.national or VERB_GAP.match(before[x.end :]))
        ]
        if pronoun and not candidates:
            resolved = self._resolve_pronoun(text, count, mentions)
            if resolved is not None:
                return self._as_subject(resolved, partner, text, explicit=True)
        if candidates:
            return self._as_subject(candidates[-1], partner, text, explicit=True)
        # a country after the count: "... relationships exist in Australia"
        inside = regex.match(
            r"(?i)^\s+(?:\w+\s+){0,2}?(?:in|across|throughout)\s+(?:the\s+)?", after
        )
        if inside:
            mention = next(
                (x for x in mentions if x.start == count.end + inside.end() and x.national), None
            )
            if mention is not None:
                return ("national", mention.country, partner, True)
        for pattern, code in subject_bodies():
            if pattern.search(text):
                return ("national", code, partner, False)
        if previous is not None:  # "..., including more than 160 pairs with African countries"
            scope, subject, _partner = previous
            if scope == "local":
                return ("local", subject, None, True)
            return ("national", subject, partner, True)
        if default_subject:
            return ("national", default_subject, partner, False)
        return None

    def _as_subject(
        self, mention: Mention, partner: str | None, text: str, explicit: bool
    ) -> tuple[str, str, str | None, bool]:
        if mention.national:
            return (
                "national",
                mention.country,
                partner if partner != mention.country else None,
                explicit,
            )
        return ("local", mention.name, None, explicit)

    def _resolve_pronoun(self, text: str, count: _Count, mentions: list[Mention]) -> Mention | None:
        """ "his city has ...", "it has ...", "Mexicali is its 11th": the first place of the
        sentence that is not the one the count is about, else of the sentences before."""
        for mention in mentions:
            if mention.start >= count.start or mention.region:
                continue
            gap = text[mention.end : count.start]
            if regex.match(
                r"(?i)^\s*(?:is|was|becomes|became|as|will\s+become|has\s+become)\s+(?:its|their|his|her)\b",
                gap,
            ):
                continue  # "Mexicali is its 11th Sister City": Mexicali is the partner
            if mention.known or mention.national:
                return mention
        for earlier in reversed(self.previous[-3:]):
            local = [x for x in earlier if x.known and not x.national and not x.region]
            if local:
                return local[0]
        if self.anchor:
            return Mention(0, 0, self.anchor)
        return None

    def _partner(
        self, text: str, count: _Count, mentions: list[Mention]
    ) -> tuple[str | None, tuple[str, str] | None]:
        """The other side of a count: (partner, None) or (None, (subject, partner)) when the
        sentence names both sides ("between China and Russia")."""
        clause_end = len(text)
        stop = regex.search(
            r"[;]|,\s+(?:among\s+which|including|of\s+which|while|whereas|and)\b", text[count.end :]
        )
        if stop:
            clause_end = count.end + stop.start()
        window = text[count.end : clause_end]
        # between X and Y / X-Y (countries or regions)
        scope_text = text[:clause_end]
        between = regex.search(
            r"(?i)\bbetween\s+(?:the\s+)?(?:(?:places|cities|towns|communities|municipalities|local\s+authorities|local\s+governments)\s+in\s+)?(?P<a>[\w .'-]+?)\s+and\s+(?P<b>[\w .'-]+?)(?=[\s,.;]|$)",
            scope_text,
        )
        sides: list[Mention] = []
        if between:
            sides = [
                x
                for x in mentions
                if between.start() <= x.start < between.end() + 20 and (x.national or x.region)
            ][:2]
        if len(sides) < 2:
            for x, y in zip(mentions, mentions[1:], strict=False):
                gap = text[x.end : y.start]
                if (
                    gap in ("-", "–")
                    and (x.national or x.region)
                    and (y.national or y.region)
                    and x.end <= count.start + 400
                ):
                    sides = [x, y]
                    break
        if len(sides) == 2 and any(s.national for s in sides):
            first, second = sides if sides[0].national else sides[::-1]
            other = second.country or second.region
            if other and other != first.country:
                return None, (first.country, other)
        # with (the) (N) African countries / with SCO countries / with Russia
        partner = None
        with_region = regex.search(
            rf"(?i)\bwith\s+(?:counterparts\s+in\s+)?(?:the\s+)?(?:(?:{AT_LEAST})\s+)?(?:{NUMBER}\s+)?(?P<region>{REGION_RE.pattern})\s+(?:countries|nations|cities|states|partners)",
            window,
        ) or regex.search(
            rf"(?i)\bwith\s+(?:the\s+)?(?:{NUMBER}\s+)?(?P<region>{REGION_RE.pattern})\s+(?:countries|nations)",
            text[: count.start],
        )
        if with_region:
            partner = REGIONS[_norm(with_region.group("region"))]
        bloc = BLOC_RE.search(window)
        if (
            partner is None
            and bloc
            and regex.search(r"(?i)\bwith\s+(?:the\s+)?$", window[: bloc.start()])
        ):
            partner = regex.sub(r"\s+", " ", bloc.group("bloc"))
        if partner is None:
            for x in mentions:
                if count.end <= x.start < clause_end and x.national:
                    lead = text[count.end : x.start]
                    if regex.search(r"(?i)\bwith\s+(?:the\s+)?$", lead) and not regex.search(
                        r"\d", lead[-30:]
                    ):
                        partner = x.country
                        break
        return partner, None

    def _discourse_partner(self, subject: str) -> str | None:
        """A count given without its other side, right after the article named the pair of
        sides ("Japan and Brazil plan more sister cities ... 58 pairs ...")."""
        for mentions, text in zip(
            reversed(self.previous[-3:]), reversed(self.previous_texts[-3:]), strict=True
        ):
            for x, y in zip(mentions, mentions[1:], strict=False):
                gap = text[x.end : y.start]
                if not regex.fullmatch(r"\s*(?:and|-|–)\s*", gap):
                    continue
                sides = {x.country or x.region, y.country or y.region}
                if subject in sides and None not in sides and len(sides) == 2:
                    return (sides - {subject}).pop()
        return None


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_year(raw: str, value: int) -> bool:
    return 1800 <= value <= 2100 and "," not in raw and raw.isdigit()
