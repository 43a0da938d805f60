"""Officials (person, role, place) and the cooperation fields an article names.

Officials are read with patterns over the text rather than only the NER, which glues
"Bor, Aleksandar Milikić" into one ORG: "Mayor X", "X, mayor of Y", "the Mayor of Y, X",
"Y Deputy Mayor X", "Mayor X of Y", "Vice Governor of Y X".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import regex

from amity.resources import data_lines, data_table
from amity.types import Official

# a name word, or an initial ("J."): a full stop after a whole word ends the sentence, not the name
_NAME_WORD = r"(?:\p{Lu}\.|\p{Lu}[\p{Ll}\p{Lu}'’]*(?:-\p{L}[\p{Ll}'’]*)*)"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
_PLACE = rf"(?:the\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
_COOPERATION_CUE = regex.compile(
    r"(?i)\b(cooperat\w*|co-operat\w*|exchanges?|fields? of|areas? (of|such as)|collaborat\w*|connect\w*|"
    r"partnership|work together|promot\w*|deepen\w*|in the fields?|sectors?)\b"
)


@dataclass(frozen=True)
class _Match:
    name: str
    role: str
    of: str | None


@functools.cache
def _roles_pattern() -> str:
    roles = sorted(data_lines("lexicons/roles.en.txt"), key=len, reverse=True)
    return "(?:" + "|".join(regex.escape(r).replace(r"\ ", r"\s+") for r in roles) + ")"


@functools.cache
def _official_patterns() -> tuple[regex.Pattern, ...]:
    role = _roles_pattern()
    flags = regex.V1
    # role words are matched case-insensitively, names must be capitalised: (?i:...) scopes it
    return (
        # The Mayor of Bor, Aleksandar Milikić / Vice Governor of Hubei Province Zhao Haishan
        regex.compile(rf"\b(?P<role>(?i:{role}))\s+of\s+(?P<of>{_PLACE}),?\s+(?P<name>{_NAME})", flags),
        # Song Yongxiang, mayor of Binzhou / Kim, the Mayor of Ulsan
        regex.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+)?(?P<role>(?i:{role}))\s+of\s+(?P<of>{_PLACE})", flags),
        # Longyan Deputy Mayor Jian Hongkun / Mayor Kim Doo-gyum of Ulsan / Mayor Wang Zilian
        regex.compile(
            rf"(?:(?P<of>(?!(?i:{role})\b){_NAME_WORD}(?:\s+(?!(?i:{role})\b){_NAME_WORD})?)\s+)?(?P<role>(?=\p{{Lu}})(?i:{role}))\s+"
            rf"(?P<name>{_NAME})(?:\s+of\s+(?P<of2>{_PLACE}))?",
            flags,
        ),
        # Song Yongxiang, mayor / Lee, Goyang's mayor
        regex.compile(rf"(?P<name>{_NAME}),\s+(?:the\s+)?(?:(?P<of>{_NAME_WORD})['’]s\s+)?(?P<role>(?i:{role}))\b", flags),
    )


def _canonical_role(text: str) -> str:
    return " ".join(w.capitalize() if "-" not in w else "-".join(p.capitalize() for p in w.split("-")) for w in text.lower().split())


_BODIES = {"committee", "council", "government", "association", "office", "assembly", "commission", "department", "ministry", "people", "bureau", "agency", "university", "company", "group"}
_HONORIFICS = {"cllr", "cllr.", "councillor", "councilor", "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "datuk", "dato'", "dato", "sir", "dame", "prof", "prof.", "professor", "hon", "hon.", "the"}


def _clean_name(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower() in _HONORIFICS:
        words.pop(0)  # "Cllr Peter Manning", "Datuk Azmi Harun"
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    if any(w.lower().strip("'’s") in _BODIES for w in words):
        return ""  # "People's Committee" is a body, not a person
    while words and words[-1].lower().rstrip(".") in _STOP_TAIL:
        words.pop()
    return " ".join(words).rstrip(".,")


_STOP_TAIL = {"said", "says", "stated", "added", "noted", "of", "and", "the", "attends", "attended"}


def find_officials(text: str, is_place: Callable[[str], bool]) -> list[Official]:
    """Officials named in a text, first mention first; `of` is filled when the text says.

    Example: find_officials("Song Yongxiang, mayor of Binzhou, spoke.", is_place)
    -> [Official(name="Song Yongxiang", role="Mayor", of="Binzhou")]
    """
    found: dict[str, Official] = {}
    order: list[tuple[int, str]] = []
    role_words = {w for line in data_lines("lexicons/roles.en.txt") for w in line.lower().split()}
    for pattern in _official_patterns():
        for m in pattern.finditer(text, overlapped=False):
            name = _clean_name(m.group("name"))
            if not name or name.split()[0].lower() in role_words or is_place(name):
                continue
            if name.lower() in ("the", "he", "she", "mr", "ms", "mrs"):
                continue
            of = m.groupdict().get("of") or m.groupdict().get("of2")
            if of:
                of = of.removeprefix("the ").strip()
                words = of.split()
                if not is_place(of) and len(words) > 1:
                    # "Vice Governor of Hubei Province Zhao Haishan": the place ends where the name begins
                    for k in range(len(words) - 1, 0, -1):
                        if is_place(" ".join(words[:k])):
                            name = _clean_name(" ".join(words[k:]) + " " + name)
                            of = " ".join(words[:k])
                            break
                if of.split()[0].lower() in role_words or not is_place(of.split(" Province")[0]):
                    of = None if not is_place(of) else of
            role = _canonical_role(m.group("role"))
            if name in found:
                if found[name].of is None and of:
                    found[name].of = of
                continue
            found[name] = Official(name=name, role=role, of=of)
            order.append((m.start(), name))
    # a surname-only mention ("Song said") is the same person as "Song Yongxiang"
    for _, name in order:
        if len(name.split()) == 1 and any(n != name and n.split()[:1] == [name] for n in found):
            found.pop(name, None)
    return [found[n] for _, n in sorted(order) if n in found]


@functools.cache
def _field_patterns() -> tuple[tuple[str, regex.Pattern], ...]:
    return tuple((row[0], regex.compile(rf"(?i)\b(?:{row[1]})\b")) for row in data_table("lexicons/fields.en.txt"))


def has_cooperation_cue(sentence: str) -> bool:
    return bool(_COOPERATION_CUE.search(sentence))


def find_fields(sentences: list[str]) -> list[str]:
    """Cooperation fields named in sentences that speak of cooperation or exchange."""
    fields: list[str] = []
    for sentence in sentences:
        if not has_cooperation_cue(sentence):
            continue
        for field_name, pattern in _field_patterns():
            if field_name not in fields and pattern.search(sentence):
                fields.append(field_name)
    return fields
