"""Evaluation and results: questionnaires after activities, learning gain, results, and programme indicators.

Above cooperation in the layers: a programme's indicators read participation, selections,
commitments and requests; nothing below imports evaluation.
"""
