"""Altair charts of the engine's results (``reception``, ``regularization``) and the offline
vega bundle they are shown with (``offline``).

Charts read the engine; the engine never imports charts (checked by ``tests/test_architecture.py``).
"""
