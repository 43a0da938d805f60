"""Write src/amity/data/lexicons/<lang>/countries.tsv: country names in each language read.

The names come from the CLDR data that Babel ships (territory names); run once when a
language is added (`python scripts/build_language_countries.py`). Short forms that CLDR
lacks ("美", "США") are in each language's lexicon.toml under [countries] extra.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale

LOCALES = {
    "zh": ["zh", "zh_Hant"],
    "ja": ["ja"],
    "ko": ["ko"],
    "ru": ["ru"],
    "uk": ["uk"],
    "fr": ["fr"],
    "es": ["es"],
    "de": ["de"],
    "it": ["it"],
    "pt": ["pt", "pt_PT"],
}
OUT = Path(__file__).resolve().parents[1] / "src/amity/data/lexicons"


def main() -> None:
    for language, locales in LOCALES.items():
        rows: dict[str, str] = {}
        for locale in locales:
            for code, name in Locale.parse(locale).territories.items():
                if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "QO", "ZZ"):
                    rows.setdefault(name, code)
        lines = [f"{name}\t{code}" for name, code in sorted(rows.items())]
        path = OUT / language / "countries.tsv"
        path.write_text("# name<TAB>ISO2, from CLDR via Babel (scripts/build_language_countries.py)\n" + "\n".join(lines) + "\n", encoding="utf-8")
        print(path, len(lines))


if __name__ == "__main__":
    main()
