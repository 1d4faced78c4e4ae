"""Hooks for the apps that act on assessment results, without this app importing them.

`run_published` is sent when a score run is published (发布), inside the publishing transaction, after the
run is stored as published (and a previously published run for the same plan and period withdrawn):

    run_published.send(sender=ScoreRun, run=<ScoreRun>, actor=<User>)

The accountability app connects to it: a unit 一票否决 in the published run raises a proposal (问责建议).
A receiver that raises aborts the publication (nothing half-written).
"""
from django.dispatch import Signal

run_published = Signal()
