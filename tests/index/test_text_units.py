"""Sentence splitting, cleaning and chunking keep exact offsets."""

import pytest

from index.chunking import chunk_sentences
from index.cleaning import clean
from index.sentences import split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Budanov said on Feb. 28 that talks went on. Moscow denied it.", 2),
        ("The U.S.-backed plan stalled. Officials met in Geneva.", 2),
        ('"We did not even see them," Lavrov said. He left.', 2),
        ("Talks resumed on Jan. 6, 2026, in Paris.", 1),
        ("Mr. Smith met Dr. Jones. They spoke.", 2),
        ("No period at the end", 1),
    ],
)
def test_sentences_split_where_a_reader_would(text, expected):
    spans = split_sentences(text)
    assert len(spans) == expected
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_offsets_are_relative_to_the_whole_document():
    doc = "Title line\n\nFirst sentence here. Second one follows."
    para_start = doc.index("First")
    for s in split_sentences(doc[para_start:], para_start):
        assert doc[s.start : s.end] == s.text


def test_repeated_blocks_are_dropped_once_kept_once(seed_texts):
    text = seed_texts["002_cb6eb37658cfcc3c"]
    cleaned = clean(text)
    kept = [p.text for p in cleaned.paragraphs]
    assert len(kept) == len(set(kept))
    assert sum("Zaporizhzhia" in k for k in kept) == 1
    assert len(cleaned.dropped) >= 8
    for p in cleaned.paragraphs + cleaned.dropped:
        assert text[p.start : p.end] == p.text


def test_unrepeated_article_loses_nothing(seed_texts):
    text = seed_texts["000_678fb64ae03cb8b5"]
    assert clean(text).dropped == []


def test_chunks_respect_the_token_budget():
    spans = split_sentences("A b c. " * 30)
    counts = [40] * len(spans)
    chunks = chunk_sentences(spans, counts, 100)
    assert all(sum(counts[c.first : c.last + 1]) <= 100 for c in chunks)
    assert chunks[0].first == 0 and chunks[-1].last == len(spans) - 1
    covered = [i for c in chunks for i in range(c.first, c.last + 1)]
    assert covered == list(range(len(spans)))


def test_a_lexicon_knows_a_name_in_its_other_forms():
    from index.text import Lexicon

    lex = Lexicon(
        "The Football Association fined the club. Yuganskneftegas was sold; "
        "the World Trade Organisation met. Gross domestic product rose. He went to Chelsea."
    )
    assert lex.spells("fa") and lex.spells("gdp") and lex.spells("wto")
    assert not lex.spells("gc")  # two lower-case words spell nothing
    assert "wto" not in lex.abbreviations
    assert lex.names("organization") and lex.names("yugansk") and lex.names("chelsea")
    assert not lex.names("arsenal") and not lex.names("fc")
    assert not Lexicon("Mr Green said so.").names("greenspan")  # a shorter word is another
