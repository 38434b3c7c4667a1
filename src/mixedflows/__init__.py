"""Mixed Flows Lab: the engine of a training and policy lab on mixed migration flows.

The engine (profiles, scenarios, screening, grading, store) imports no widget library and no
chart library, so ``import mixedflows`` stays fast; widgets live in ``mixedflows.widgets`` and
charts in ``mixedflows.charts``, imported only by the apps that show them.
"""

import sys

__version__ = "0.1.0"

# jsonschema (imported by Voila's server, nbformat and altair) builds an Earley parser of the
# RFC 3987 grammar at import when the optional rfc3987-syntax package is there (jupyter-events
# asks for it): 3.5 s of CPU in every Voila server and in every app kernel that draws a chart,
# on this 2-core machine, only to check the "iri" string format, which nothing in the course
# validates. Marked absent, it is not loaded and jsonschema leaves that one format unchecked.
sys.modules.setdefault("rfc3987_syntax", None)
