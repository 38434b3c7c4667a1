"""The Voila server side: the app server (``voila_app``), the class-session launcher (``serve``),
a learner's session in a kernel (``session``) and the ``mixedflows`` command (``cli``).

Domain packages never import this package (checked by ``tests/test_architecture.py``).
"""
