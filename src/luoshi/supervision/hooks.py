"""Hooks higher layers register into (lower layers never import them).

`interview_step`: callables `fn(escalation)` run for every escalation step of kind ``interview``
(约谈/问责建议, the end of the ladder) inside the transaction that takes it — accountability
raises its proposal there, so the step and the proposal commit together.
"""
from __future__ import annotations

interview_step: list = []


def connect_interview_step(fn) -> None:
    if fn not in interview_step:
        interview_step.append(fn)


def interview_taken(escalations) -> None:
    for esc in escalations:
        if esc.kind == "interview":
            for fn in list(interview_step):
                fn(esc)
