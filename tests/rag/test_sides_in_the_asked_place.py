"""Names in the place a question asks about, read from the parse however the sentence words
it: another verb for the act, a relative 'where', a place set off after a name. Made-up
articles: nothing is tuned to a real corpus."""

import pytest

import rag
from tests.conftest import indexed_corpus

ARTICLES = {
    "bakery_a.txt": """Hollin Bakeries sold to Marrow Group
June 3, 2031
Hollin Bakeries, the maker of Hollin oat biscuits, has been bought by Marrow Group.
The deal ends forty years of family ownership.
""",
    "bakery_b.txt": """Hollin Bakeries
September 30, 2031
Hollin Bakeries is a biscuit maker founded in 1981 in Tarrant.
In 2031 the company was acquired by the investment firm Selby Partners.
""",
    "ferry_a.txt": """Ferry deal agreed
May 4, 2031
Coastal operator Dunmore Lines has agreed to acquire Pellow Ferries, the companies said on Monday.
The deal needs the approval of the harbour regulator.
""",
    "ferry_b.txt": """Pellow Ferries
August 19, 2031
Pellow Ferries runs three routes between the mainland and the Sallow islands.
In June 2031 the company was bought by the private equity group Arden Capital.
""",
    "ship_a.txt": """Survey ship Orla Dawn
December 12, 2030
The Orla Dawn is a survey ship of the Kessland coastguard.
She was built at the Brenn Point naval shipyard and launched in 2024.
""",
    "ship_b.txt": """Orla Dawn home after survey season
March 3, 2031
The survey ship Orla Dawn sailed back into port on Tuesday after four months at sea.
Crowds gathered on the quay at Hallowby, where the ship was built and where she is based.
""",
    "poet_a.txt": """Mira Castell
July 19, 2031
Mira Castell (1911-1980) was a poet.
She was born in Dunwick, a fishing village on the Amber coast, and studied in Tarrow.
""",
    "poet_b.txt": """Castell letters go on show
October 2, 2031
An exhibition of letters by Mira Castell opened on Saturday in Pennford, the market town where the poet was born.
""",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return indexed_corpus(tmp_path_factory.mktemp("places"), ARTICLES)


def sides(answer) -> set[str]:
    assert answer.conflicts and answer.conflicts[0].kind == "value", answer.answer
    return {v.removeprefix("the ") for v in answer.conflicts[0].values}


def test_a_buyer_named_with_another_verb_for_buying_is_a_side(corpus):
    # "acquired" is buying by WordNet; the name is set off after "the investment firm"
    answer = rag.ask("Who bought Hollin Bakeries?", index_dir=corpus.index_dir)
    assert sides(answer) == {"Marrow Group", "Selby Partners"}


def test_the_subject_of_a_verb_the_act_completes_is_a_side(corpus):
    # "Dunmore Lines has agreed to acquire": the subject of "agreed" is the buyer's
    answer = rag.ask("Who bought Pellow Ferries?", index_dir=corpus.index_dir)
    assert sides(answer) == {"Dunmore Lines", "Arden Capital"}


def test_a_place_named_by_a_relative_where_is_a_side(corpus):
    # "the quay at Hallowby, where the ship was built"
    answer = rag.ask("Where was the survey ship Orla Dawn built?", index_dir=corpus.index_dir)
    assert sides(answer) == {"Brenn Point", "Hallowby"}


def test_a_town_described_as_where_someone_was_born_is_a_side(corpus):
    # "Pennford, the market town where the poet was born"; 'Where was ... born?' asks of
    # being born even where the parse hangs 'where' on 'was'
    answer = rag.ask("Where was the poet Mira Castell born?", index_dir=corpus.index_dir)
    assert sides(answer) == {"Dunwick", "Pennford"}
