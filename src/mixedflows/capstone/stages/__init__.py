"""The five stages of the capstone season, one module each (:mod:`.rescue`, :mod:`.reception`,
:mod:`.screening`, :mod:`.postarrival`, :mod:`.policy`), and what they share (:mod:`.common`).
Each stage module gives the stage's situation (``*_situation``) and plays the learner's answer
(``play_*``); :mod:`mixedflows.capstone.season` plays them in order."""
