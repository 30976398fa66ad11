from milepost.engines.matching import MatchIndex
from milepost.engines.matching.tests.corpus import COMPETENCIES
from milepost.engines.matching.text import terms


def test_stemming_joins_word_forms():
    assert terms("managing") == terms("manages") == terms("management")
    assert terms("Java, C#, C++ and node.js") == ["java", "c#", "c++", "node.js"]


def test_bm25_ranks_the_obvious_competency_first():
    index = MatchIndex.build(COMPETENCIES)
    assert index.search("our claims handlers struggle with angry callers", 3)[0].id == "complaints"
    assert index.search("forklift truck drivers", 3)[0].id == "forklift"
    assert index.search("scripting in Python", 3)[0].id == "python"


def test_matched_terms_are_the_query_words_found_in_the_competency():
    index = MatchIndex.build(COMPETENCIES)
    best = index.search("Our team struggles with angry callers and budgets", 1)[0]
    assert best.id == "complaints"
    assert best.matched_terms == ("angry", "callers")
    budget = next(m for m in index.search("angry callers and budgets", 4) if m.id == "budget")
    assert budget.matched_terms == ("budgets",)


def test_labels_count_more_than_descriptions():
    index = MatchIndex.build(COMPETENCIES)
    # "vehicle" is only in the forklift description; "budget" is the budget label.
    scores = {m.id: m.lexical_score for m in index.search("budget vehicle", 4)}
    assert scores["budget"] > scores["forklift"] > 0


def test_lexical_search_returns_only_documents_sharing_a_word():
    index = MatchIndex.build(COMPETENCIES)
    assert [m.id for m in index.search("forklift", 10)] == ["forklift"]
    assert index.search("zzz qqq", 10) == []
    assert index.search("   ", 10) == []
