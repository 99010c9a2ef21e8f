"""The small-cell rule on its own: which keys are hidden."""
from elearn.evaluation.results_tables import hide


def test_nothing_small_nothing_hidden():
    assert hide({"a": 5, "b": 3}, 3) == set()


def test_cells_of_one_and_two_hide_each_other_when_they_hold_three():
    assert hide({"a": 9, "b": 2, "c": 1}, 3) == {"b", "c"}


def test_a_lone_small_cell_takes_the_smallest_other():
    assert hide({"a": 9, "b": 4, "c": 2}, 3) == {"b", "c"}


def test_two_ones_are_not_enough_together():
    assert hide({"a": 9, "b": 5, "c": 1, "d": 1}, 3) == {"b", "c", "d"}


def test_already_hidden_rows_count_in_a_column():
    assert hide({"a": 9, "b": 4, "c": 3}, 3, {"c"}) == {"b", "c"}
