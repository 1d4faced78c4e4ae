"""Hooks for the apps that take inspection findings further, without this app importing them.

`finding_referred` is sent once per referral when a plan is published (the moment the inspected unit
may learn of the finding), inside the publishing transaction:

    finding_referred.send(sender=Finding, finding=<Finding>, kind="case" | "accountability", actor=<User>)

* kind "case": the finding should become a 效能投诉 case against `finding.unit` (the cases app connects);
* kind "accountability": an accountability proposal (问责建议) about `finding.unit` / `finding.staff_name`
  (the accountability app connects).

A receiver that raises aborts the publication (nothing half-written). A receiver may return
{"kind", "ref", "label", "url"}: kept in `Finding.referrals` (e.g. the case number the finding became).
`finding_published` is sent for every finding at publication (assessment may count findings as deductions).

`finding_referred` itself lives in luoshi.supervision.hooks (the layer below), so that cases — in the same
layer as inspections — can connect to it without importing this app; this name is the same object.
"""
from django.dispatch import Signal

from luoshi.supervision.hooks import finding_referred  # noqa: F401  (the same Signal object)

finding_published = Signal()
