"""What happened to each person in a season at the centre: the event loop's result."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Timeline:
    """What happened to each person (hours; NaN where it had not happened by the horizon)."""

    landed: np.ndarray
    """The instant each person's boat landed, as the event loop reached it (the landing time
    of the arrivals, to the last bit of floating point: timeouts are set as SimPy sets them)."""
    medical_start: np.ndarray
    medical_end: np.ndarray
    interviewer_assigned: np.ndarray
    """When an interviewer took the person (the interview starts once a mediator is free too,
    for people who need one)."""
    interview_start: np.ndarray
    referral: np.ndarray
    """End of the interview: the person is referred (never a status decision, ¶17)."""
    transfer: np.ndarray
    medical_staff: np.ndarray
    """Staff number (within the medical pool) who saw the person; -1 if not seen."""
    interview_staff: np.ndarray
    """Staff number within the screening or child-protection pool; -1 if not seen."""
    mediator: np.ndarray
    """Mediator number; -1 if none (not needed, or not seen)."""
