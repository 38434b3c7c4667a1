"""Altair charts of the engine's results (``reception``, ``regularization``, ``flows``) and the
offline vega bundle they are shown with (``offline``).

Charts read the engine; the engine never imports charts (checked by ``tests/test_architecture.py``).
"""
