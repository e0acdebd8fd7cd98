"""Which sentence pairs are one sentence told twice."""

from index.duplicates import is_copy
from index.text import tokens
from index.values import make_value

BARCELONA = "Velmora's only other cup title came in 2030, when they beat Orla in Barcelona."
VALENCIA = "Velmora's only other cup title came two years ago in Valencia, when they beat Orla."


def _words(text: str) -> set[str]:
    return set(tokens(text))


def test_sentences_that_differ_in_a_name_are_never_copies_whatever_its_label():
    # the recogniser read Valencia as a person: it is still another place than Barcelona
    assert not is_copy(
        0.93,
        _words(BARCELONA),
        _words(VALENCIA),
        [make_value("GPE", "Velmora"), make_value("GPE", "Barcelona")],
        [make_value("GPE", "Velmora"), make_value("PERSON", "Valencia")],
    )


def test_a_retelling_with_the_same_names_is_a_copy():
    retold = "Velmora's only other cup title came in 2030, when they beat Orla in Barcelona!"
    values = [make_value("GPE", "Velmora"), make_value("GPE", "Barcelona")]
    assert is_copy(0.98, _words(BARCELONA), _words(retold), values, values)
    # a name only one of them gives contradicts nothing
    assert is_copy(0.95, _words(BARCELONA), _words(retold), values, values[:1])
