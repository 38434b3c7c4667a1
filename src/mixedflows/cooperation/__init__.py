"""Module 10: cooperation and shared responsibility (MC/INF/294 ¶18, ¶27-29; deck IV.5).

- :mod:`~mixedflows.cooperation.mandates`: who does what (``datasets/cooperation/*.csv``), the
  mapping exercise graded from the data, the case studies and the regional processes;
- :mod:`~mixedflows.cooperation.room`: the multi-role exercise's scenario files
  (``datasets/cooperation/rooms/``): roles, what each knows and decides, the people and needs;
- :mod:`~mixedflows.cooperation.engine`: the rules that combine the roles' decisions into one
  outcome for the people, and grade each role;
- :mod:`~mixedflows.cooperation.grader`: the graders the exercise files name.
"""
