"""/api/accountability/proposals/ — proposals with cause, unit, status, decision and (for those
entitled: 纪检/组织, leaders over the unit) the people with their responsibility types and measures.
Paged (`?page=`, 50 a page), scoped by `permissions.visible_proposals`; `people` is omitted — not
empty, absent — for everyone else, and a 单位联络员 gets the unit level only (no facts, no decision
document). Filters: ?state=, ?cause_type=, ?unit=<id>. Unknown filter values: 400.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets

from luoshi.core.params import get_choice, get_id

from . import permissions as perm
from .models import CauseType, Person, Proposal


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    responsibility_display = serializers.CharField(source="get_responsibility_display")
    suggested_measure = serializers.CharField(source="suggested_measure.name")
    measure = serializers.CharField(source="measure.name", default=None)
    state_display = serializers.CharField(source="get_state_display")
    appeals = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "post", "unit", "responsibility", "responsibility_display", "suggested_measure",
                  "suggestion_note", "prior_count", "measure", "state", "state_display", "decided_on", "appeals"]

    def get_appeals(self, obj) -> list[dict]:
        return [{"kind": a.kind, "submitted_on": a.submitted_on, "outcome": a.outcome,
                 "new_measure": a.new_measure.name if a.new_measure_id else None}
                for a in obj.appeals.all()]


class ProposalSerializer(serializers.ModelSerializer):
    cause = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()
    state_display = serializers.CharField(source="get_state_display")
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "number", "cause", "unit", "task", "state", "state_display", "proposed_on", "decision"]

    def get_cause(self, p) -> dict:
        out = {"type": p.cause_type, "type_display": p.get_cause_type_display()}
        if self.context["levels"](p) != perm.UNIT:
            out.update(label=p.cause_label, object_type=p.cause_ct.model if p.cause_ct_id else None,
                       object_id=p.cause_id or None, facts=p.facts)
        return out

    def get_unit(self, p) -> dict:
        return {"id": p.unit_id, "name": p.unit.name}

    def get_task(self, p) -> dict | None:
        return {"id": p.task_id, "number": p.task.number, "title": p.task.title} if p.task_id else None

    def get_decision(self, p) -> dict | None:
        if p.decided_on is None:
            return None
        if self.context["levels"](p) == perm.UNIT:
            return {"decided_on": p.decided_on}
        return {"decided_on": p.decided_on, "number": p.decision_number, "note": p.decision_note}

    def to_representation(self, p):
        data = super().to_representation(p)
        if self.context["levels"](p) == perm.FULL:
            data["people"] = PersonSerializer(p.people.all(), many=True).data
        return data


@extend_schema(tags=["accountability"])
class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer

    def get_queryset(self):
        user = self.request.user
        qs = (perm.visible_proposals(user).select_related("unit", "task", "cause_ct")
              .prefetch_related("people__unit", "people__measure", "people__suggested_measure",
                                "people__appeals__new_measure").order_by("-proposed_on", "-id"))
        q = self.request.query_params
        state = get_choice(q, "state", Proposal.State, "办理状态")
        if state:
            qs = qs.filter(state=state)
        cause = get_choice(q, "cause_type", CauseType, "问责事由")
        if cause:
            qs = qs.filter(cause_type=cause)
        unit = get_id(q, "unit", "单位")
        if unit:
            qs = qs.filter(unit_id=unit)
        return qs

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["levels"] = _levels(self.request.user)
        return ctx


def _levels(user):
    """level(p) for `user` on proposals already in their visible set, without a query per row."""
    scope = perm.people_scope(user)

    def level(p):
        if scope is None or p.unit_id in scope:
            return perm.FULL
        return perm.SUMMARY if user.sees_everything else perm.UNIT

    return level
