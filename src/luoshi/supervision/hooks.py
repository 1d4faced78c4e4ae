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


# ---- referrals of inspection findings ---------------------------------------------------------------
from django.dispatch import Signal  # noqa: E402

#: An inspection finding (明查暗访发现问题) referred on to another app when its plan is published — offered
#: here, in the layer below cases, petitions, inspections and accountability, so the apps of one layer
#: need not import each other: inspections sends it (re-exported as luoshi.inspections.signals.
#: finding_referred), cases and accountability connect.
#:
#:     finding_referred.send(sender=Finding, finding=<inspections.Finding>, kind="case" | "accountability",
#:                           actor=<User>)
#:
#: Sent inside the publishing transaction: a receiver that raises aborts the publication. A receiver may
#: return {"kind", "ref", "label", "url"} describing what it made of the finding (e.g. the 效能投诉 case);
#: inspections keeps those on the finding (`Finding.referrals`).
finding_referred = Signal()
