"""Web pages as the index reads them, over the saved pages of evals/pages: the article kept,
the boilerplate left out, no date invented."""

from evals import pages


def test_saved_pages_keep_their_article_and_leave_out_the_boilerplate():
    result = pages.run()
    assert result["pages"] >= 50
    assert result["main_recall"] >= 0.97
    assert result["boilerplate_leakage"] <= 0.05
    assert result["clean_pages"] >= 0.6 * result["pages"]


def test_saved_pages_give_their_own_metadata_and_no_invented_date():
    result = pages.run()
    assert result["dates_invented"] == 0
    assert result["dates_wrong"] == 0
    assert result["dates_missed"] <= 2
    assert result["author_right"] >= 0.9 * result["pages"]
    assert result["site_right"] >= 0.9 * result["pages"]


def test_the_whole_visible_text_is_what_extraction_improves_on():
    visible = pages.run(visible=True)
    assert visible["boilerplate_leakage"] > 0.9  # the snippets are really on the pages
    assert visible["main_recall"] == 1.0
