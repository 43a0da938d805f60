"""Event, event date and established year of one pair (amity.extract.describe), on sentences
written for these tests. The pair's sentences are those naming both places."""

import datetime as dt

import pytest

from amity.extract.describe import describe
from amity.extract.events import anniversary_of_the_tie, find_event_cues, signed_done
from amity.extract.nlp import load_nlp
from amity.extract.reading import read

PUBLISHED = dt.date(2024, 5, 16)  # a Thursday


def told(gazetteer, text, pair, published=PUBLISHED):
    reading = read(text, load_nlp(), gazetteer)
    names = [n.casefold() for n in pair]
    stated = [s.index for s in reading.sentences if all(n in s.text.casefold() for n in names)]
    assert stated, "no sentence names both places"
    return describe(reading, stated, stated, pair, published)


@pytest.mark.parametrize(
    "text, pair, event, event_date, established",
    [
        # the text's own verb decides
        ("Leeds said on Monday it had severed its twinning with Perm.", ("Leeds", "Perm"), "termination", "2024-05-13", None),
        ("The council voted to suspend the partnership between Cork and Kazan.", ("Cork", "Kazan"), "suspension", None, None),
        ("Nantes and Jena became sister cities on May 10.", ("Nantes", "Jena"), "agreement", "2024-05-10", None),
        ("On May 3 Lille and Erfurt signed a memorandum of understanding to establish sister-city ties.", ("Lille", "Erfurt"), "intent", "2024-05-03", None),
        ("Turin and Oulu signed an intention letter on friendly city ties on May 2.", ("Turin", "Oulu"), "intent", "2024-05-02", None),
        # an agreement "to establish" that was signed is an agreement, one only planned a proposal
        ("Agreements to establish sister city ties between Bergen and Rostock were signed on Tuesday.", ("Bergen", "Rostock"), "agreement", "2024-05-14", None),
        ("Bergen plans to sign an agreement with Rostock to establish sister city ties.", ("Bergen", "Rostock"), "proposal", None, None),
        # background ties are mentions, with no event date
        ("Graz established a sister-city relationship with Darmstadt in October 1983.", ("Graz", "Darmstadt"), "mention", None, 1983),
        ("Tartu has established sister city relationships with Turku, Uppsala (1975), Bergen (1983) and Riga (1990).", ("Tartu", "Bergen"), "mention", None, 1983),
        ("Malmo, a sister city of Aarhus since 1994, is a port on the Oresund.", ("Malmo", "Aarhus"), "mention", None, 1994),
        # a visit inside a tie signed last autumn is an exchange; the tie's year is established
        ("A delegation from Pecs visited Lyon on May 9; the towns signed their twinning pact last October, Pecs and Lyon said.", ("Pecs", "Lyon"), "exchange", "2024-05-09", 2023),
        # an anniversary: the year of the tie is the anniversary's year minus N
        ("Gdansk and Bremen celebrated the 40th anniversary of their twinning on Saturday.", ("Gdansk", "Bremen"), "anniversary", "2024-05-11", 1984),
        # another partner's year is not this pair's
        ("Since signing a twinning agreement with Kiel in 1976, Tampere has established sister ties with Vilnius.", ("Tampere", "Vilnius"), "mention", None, None),
        # a list line's year is that line's partner's, whatever else the sentence dates
        ("Since 1980 Arles has partnered with Lucca, Italy (1984); Mons and Namur, Belgium (1991); Vaasa, Finland (since 1995).", ("Arles", "Namur"), "mention", None, 1991),
        ("Since 1980 Arles has partnered with Lucca, Italy (1984); Mons and Namur, Belgium (1991); Vaasa, Finland (since 1995).", ("Arles", "Vaasa"), "mention", None, 1995),
        ("Arles holds sister city relationships with Lucca, Italy (established in 1984) and Vaasa (Ostrobothnia), Finland (established in 1995).", ("Arles", "Vaasa"), "mention", None, 1995),
        # a year stated before the pair
        ("Since 1996, Tulle has maintained a sister city relationship with Kalisz.", ("Tulle", "Kalisz"), "mention", None, 1996),
        # "a 32-year long relationship" in 2024 began in 1992
        ("Cork ended its 32-year long relationship with Rostock.", ("Cork", "Rostock"), "termination", None, 1992),
        # an old visit is history; "already has" a tie is a background tie
        ("A delegation from Ghent visited Dijon in January 2006.", ("Ghent", "Dijon"), "mention", None, None),
        ("Bari cannot twin with Split as Bari already has a sisterhood agreement with Split's rival.", ("Bari", "Split"), "mention", None, None),
        # a plan to send a gift inside the tie is an exchange, not a proposed tie
        ("Aalborg plans to send a bronze sculpture to Riga.", ("Aalborg", "Riga"), "exchange", None, None),
        # a city's count of partners is background
        ("To date, Lyon has established friendly-city relations with 106 cities, including Turin.", ("Lyon", "Turin"), "mention", None, None),
        # the council opted for the counter-proposal to freeze the tie: a suspension
        ("The council of Mainz rejected a motion to rescind its twinning with Dijon, opting instead for the mayor's counter-proposal to freeze the relationship.", ("Mainz", "Dijon"), "suspension", None, None),
    ],
)
def test_describe_event_date_and_established(gazetteer, text, pair, event, event_date, established):
    found = told(gazetteer, text, pair)
    assert (found.event, found.event_date, found.established) == (event, event_date, established)


def test_a_reporting_date_is_not_the_event_date(gazetteer):
    text = "Tours and Mulhouse have established a sister-city relationship, said an official statement yesterday. The mayors signed the agreement on May 10."
    assert told(gazetteer, text, ("Tours", "Mulhouse")).event_date == "2024-05-10"


def test_anniversary_of_something_else_is_not_the_ties():
    text = "the 400th anniversary of the rope festival"
    [cue] = [c for c in find_event_cues(text) if c.event == "anniversary"]
    assert not anniversary_of_the_tie(text, cue)
    text = "the 45th anniversary of diplomatic relations"
    [cue] = [c for c in find_event_cues(text) if c.event == "anniversary"]
    assert not anniversary_of_the_tie(text, cue)
    text = "the 30th anniversary of their twinning."
    [cue] = [c for c in find_event_cues(text) if c.event == "anniversary"]
    assert anniversary_of_the_tie(text, cue)


def test_signed_done_tells_a_signing_from_a_plan():
    assert signed_done("agreements were signed on Tuesday")
    assert not signed_done("the agreement is to be signed next month")
    assert not signed_done("the charter will be signed in June")


def test_a_history_paragraph_is_background(gazetteer):
    text = (
        "On Friday a delegation from Graz will travel to Darmstadt.\n\n"
        "Between 1979 and 1981 volunteers proposed the idea. "
        "The mayors of Graz and Darmstadt formally signed the sister-city agreement at a ceremony in Graz. "
        "October 19 will mark the 30th anniversary of our sister relationship."
    )
    reading = read(text, load_nlp(), gazetteer)
    stated = [s.index for s in reading.sentences if "Graz" in s.text and "Darmstadt" in s.text]
    found = describe(reading, stated, stated, ("Graz", "Darmstadt"), dt.date(2012, 6, 15))
    assert (found.event, found.event_date, found.established) == ("exchange", "2012-06-15", 1982)


def test_a_page_date_line_is_not_the_event_date(gazetteer):
    text = "Linz and Pskov sign sisterhood\n\n2015-10-08 18:17:32\n\nThe mayor of Linz visited Pskov on October 6. The two signed a memorandum."
    reading = read(text, load_nlp(), gazetteer)
    stated = [s.index for s in reading.sentences if "Linz" in s.text and "Pskov" in s.text]
    found = describe(reading, stated, stated, ("Linz", "Pskov"), dt.date(2015, 10, 8))
    assert found.event_date == "2015-10-06"
