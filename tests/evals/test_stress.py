"""The short version of each `make stress` check (evals/stress.py), against the real app on
127.0.0.1, real builds killed with SIGKILL, a damaged index and hostile input."""

import pytest

from evals import stress


@pytest.fixture(autouse=True)
def builds_in_this_process(monkeypatch):
    # the builds and questions around each fault run here, with the models loaded once; the
    # builds that are killed and the app still run as processes of their own
    monkeypatch.setattr(stress, "FRESH_PROCESSES", False)


@pytest.fixture(scope="module")
def seeds_app_index(tmp_path_factory):
    work = tmp_path_factory.mktemp("stress")
    return stress._seeds_app(work)


def _passed(check):
    assert check.passed, "\n".join(check.problems)
    return check.figures


def test_clients_asking_at_once_get_answers(seeds_app_index):
    corpus, index = seeds_app_index
    figures = _passed(
        stress.check_load(
            corpus, index, stress._seed_questions(), clients=4, per_client=4, browser=False
        )
    )
    assert figures["questions"] == 16 and figures["errors"] == 0


def test_documents_added_while_clients_ask(tmp_path):
    figures = _passed(stress.check_writes_during_reads(tmp_path, clients=3, adds=1))
    assert figures["new answered"] == 1 and figures["bad quotes"] == 0


def test_a_build_killed_mid_way_leaves_the_index_answering_and_resumes(tmp_path):
    # one point here (tests/index/test_build.py stops builds in-process at others); `make
    # stress` kills at all five
    figures = _passed(stress.check_crashes(tmp_path, points=("writing vectors",)))
    assert figures["recovered"] == 1


def test_a_damaged_index_says_how_to_repair_it_and_the_build_repairs_it(tmp_path):
    figures = _passed(stress.check_corrupt_state(tmp_path, over_http=1))
    assert len(figures) == 4


def test_hostile_questions_and_uploads_cause_no_server_error(seeds_app_index):
    corpus, index = seeds_app_index
    figures = _passed(stress.check_hostile_input(corpus, index, n=40, browser=3))
    assert figures["server errors"] == 0
    assert figures["hostile uploads handled"] == "6/6"


def test_a_full_disk_stops_the_build_with_a_clear_error_and_keeps_the_index(tmp_path):
    figures = _passed(stress.check_full_disk(tmp_path, real=False))
    assert figures["injected"].startswith("ok")


def test_an_instruction_inside_a_document_is_not_followed(tmp_path):
    figures = _passed(stress.check_document_injection(tmp_path))
    assert figures["generator"] == "llama-cpp"  # make test installs the local model
    assert figures["instruction followed"] == 0 and figures["answered from the article"] == 3


def test_a_chroma_server_that_goes_away_is_named_and_answers_resume(tmp_path):
    figures = _passed(stress.check_chroma_gone(tmp_path))
    assert figures["status while gone"] == 503
    assert figures["answered once back"] is True
