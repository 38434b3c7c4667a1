"""Mixed Flows Lab: the engine of a training and policy lab on mixed migration flows.

The engine (profiles, scenarios, screening, grading, store) imports no widget library and no
chart library, so ``import mixedflows`` stays fast; widgets live in ``mixedflows.widgets`` and
charts in ``mixedflows.charts``, imported only by the apps that show them.
"""

__version__ = "0.1.0"
