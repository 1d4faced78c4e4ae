"""REST API `/api/petitions/` (信访事项): list/retrieve scoped by visible_petitions, create (登记) and
transitions through the `do_…` services. Petitioner fields follow privacy.petitioner_view: full for the
信访 office and the 包案领导, masked (张*, 138****1234) for everyone else; `petitioner_address` is absent
when withheld; `id_number` is always masked (the number itself is never stored); `petitioner_masked`
says which. Errors: {"detail", "detail_zh", "field"} with 400/403; a petition the user may not see is 404.

Transitions: POST /api/petitions/{id}/{action}/ with action one of assign (unit, mode, note), owner
(leader), accept (on), refuse (reason), extend (days, reason), decide-extension (approve), answer
(answer, on), rate (satisfaction), review / recheck (on), review-decide / recheck-decide (opinion, on),
terminate (note), meeting (held_on, attendees, notes, decisions), plan (summary, target_on, steps:[…]),
resolve (note). GET /api/petitions/statistics/?start=&end= gives the rates by unit.
"""
from __future__ import annotations

import contextlib
import datetime as dt

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from luoshi.accounts.models import Role, User
from luoshi.core.errors import LuoshiError
from luoshi.core.params import get_bool, get_choice, get_id
from luoshi.orgs.models import Unit

from . import services as svc, stats
from .models import Channel, Petition, Status
from .privacy import petitioner_view
from .scope import visible_petitions


class PetitionSerializer(serializers.ModelSerializer):
    petitioner_name = serializers.SerializerMethodField()
    petitioner_phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    petitioner_masked = serializers.SerializerMethodField()
    handling_unit = serializers.SerializerMethodField()
    owner_leader = serializers.SerializerMethodField()
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    repeat_of = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = ["id", "number", "channel", "channel_display", "status", "status_display", "petitioner_name",
                  "petitioner_phone", "id_number", "petitioner_masked", "batch", "people", "collective", "title",
                  "content", "received_on", "accept_by", "accepted_on", "handling_unit", "mode", "owner_leader",
                  "due", "extension_days", "extension_state", "answered_on", "satisfaction", "deadline", "light",
                  "backlog", "backlog_since", "resolved_on", "repeat_of", "repeat_count", "terminated_on"]

    def _who(self, obj):
        cache = self.context.setdefault("_who", {})
        if obj.pk not in cache:
            cache[obj.pk] = petitioner_view(self.context["request"].user, obj)
        return cache[obj.pk]

    def get_petitioner_name(self, obj) -> str:
        return self._who(obj)["name"]

    def get_petitioner_phone(self, obj) -> str:
        return self._who(obj)["phone"]

    def get_id_number(self, obj) -> str:
        return self._who(obj)["id_number"]

    def get_petitioner_masked(self, obj) -> bool:
        return self._who(obj)["masked"]

    def get_handling_unit(self, obj) -> dict | None:
        return {"id": obj.handling_unit_id, "name": obj.handling_unit.name} if obj.handling_unit_id else None

    def get_owner_leader(self, obj) -> dict | None:
        return ({"id": obj.owner_leader_id, "name": obj.owner_leader.get_full_name()}
                if obj.owner_leader_id else None)

    def get_repeat_of(self, obj) -> str | None:
        return obj.repeat_of.number if obj.repeat_of_id else None

    def to_representation(self, obj):
        data = super().to_representation(obj)
        who = self._who(obj)
        if who["address"] is not None:
            data["petitioner_address"] = who["address"]
        return data


class PetitionCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    petitioner_name = serializers.CharField(max_length=64)
    petitioner_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=24, required=False, allow_blank=True)
    petitioner_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    received_on = serializers.DateField(required=False)
    people = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    batch = serializers.CharField(max_length=40, required=False, allow_blank=True)
    hotline_ref = serializers.CharField(max_length=40, required=False, allow_blank=True)


class HotlineTransferSerializer(serializers.Serializer):
    hotline_ref = serializers.CharField(max_length=40)
    petitioner_name = serializers.CharField(max_length=64)
    petitioner_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=24, required=False, allow_blank=True)
    petitioner_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    received_on = serializers.DateField(required=False)


def _param_date(params, name, default):
    v = params.get(name, "").strip()
    if not v:
        return default
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise LuoshiError(f"{name} must be a date (YYYY-MM-DD)", "日期格式应为年-月-日", field=name)


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PetitionSerializer

    def get_queryset(self):
        qs = visible_petitions(self.request.user).select_related("petitioner", "handling_unit", "owner_leader",
                                                                 "repeat_of")
        p = self.request.query_params
        if self.action == "list":
            status = get_choice(p, "status", Status, "状态")
            if status:
                qs = qs.filter(status=status)
            if get_bool(p, "backlog", "积案"):
                qs = qs.filter(backlog=True)
            if get_choice(p, "owner", ("me",), "包案领导"):
                qs = qs.filter(owner_leader=self.request.user)
            unit = get_id(p, "unit", "责任单位")
            if unit:
                qs = qs.filter(handling_unit_id=unit)
        return qs.order_by("-received_on", "-id")

    @extend_schema(request=PetitionCreateSerializer, responses={201: PetitionSerializer})
    def create(self, request):
        s = PetitionCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        with _api_field_names():
            p = svc.do_register_petition(
                request.user, channel=d["channel"], name=d["petitioner_name"], phone=d.get("petitioner_phone", ""),
                id_number=d.get("id_number", ""), address=d.get("petitioner_address", ""), title=d["title"],
                content=d["content"], received_on=d.get("received_on"), people=d.get("people", 1),
                batch=d.get("batch", ""), hotline_ref=d.get("hotline_ref", ""))
        return Response(PetitionSerializer(p, context={"request": request}).data, status=201)

    @extend_schema(request=HotlineTransferSerializer, responses={201: OpenApiTypes.OBJECT},
                   summary="热线转来信访: a 12345 话务员 registers a hotline call as a petition")
    @action(detail=False, methods=["post"])
    def hotline(self, request):
        """POST /api/petitions/hotline/ {hotline_ref, petitioner_name, petitioner_phone, id_number,
        petitioner_address, title, content, received_on} → 201 {"id", "number", "hotline_ref", "accept_by"}.
        The answer carries no petitioner data and the 话务员 cannot read the petition afterwards."""
        s = HotlineTransferSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        with _api_field_names():
            p = svc.do_register_hotline_transfer(
                request.user, hotline_ref=d["hotline_ref"], name=d["petitioner_name"],
                phone=d.get("petitioner_phone", ""), id_number=d.get("id_number", ""),
                address=d.get("petitioner_address", ""), title=d["title"], content=d["content"],
                received_on=d.get("received_on"))
        return Response({"id": p.pk, "number": p.number, "hotline_ref": p.hotline_ref, "accept_by": p.accept_by},
                        status=201)

    def _do(self, request, pk, fn):
        p = self.get_object()
        fn(request.user, p, _payload(request.data))
        p = self.get_queryset().get(pk=p.pk)
        return Response(PetitionSerializer(p, context={"request": request}).data)

    @extend_schema(operation_id="petitions_transition", request=OpenApiTypes.OBJECT,
                   responses={200: PetitionSerializer},
                   summary="A step of the petition's life (assign, owner, accept, refuse, extend, …)")
    @action(detail=True, methods=["post"], url_path=r"(?P<step>[a-z-]+)")
    def transition(self, request, pk=None, step=None):
        fn = TRANSITIONS.get(step)
        if fn is None:
            raise LuoshiError(f"unknown action {step}", "未知的操作", field="action")
        return self._do(request, pk, fn)

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="及时受理率, 按期办结率, … by unit")
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        today = timezone.localdate()
        start = _param_date(request.query_params, "start", today.replace(month=1, day=1))
        end = _param_date(request.query_params, "end", today)
        stats.check_period(start, end)
        rows = stats.unit_stats(visible_petitions(request.user), start, end, today)
        return Response({"start": start, "end": end, "units": rows, "total": stats.totals(rows)})


# The services name the petitioner's fields as the register form does; the API's are petitioner_*.
_API_FIELD = {"name": "petitioner_name", "phone": "petitioner_phone", "address": "petitioner_address"}


@contextlib.contextmanager
def _api_field_names():
    """Report a refused field under the API's own name (an error said field "name" for petitioner_name)."""
    try:
        yield
    except LuoshiError as e:
        e.field = _API_FIELD.get(e.field, e.field)
        raise


# Keys of a step's body that must be text (dates included, as YYYY-MM-DD); anything else in them (a number, a
# list, an object) is refused here with a 400 instead of reaching a service that expects a string.
_TEXT_KEYS = ("mode", "note", "on", "reason", "answer", "satisfaction", "opinion", "held_on", "attendees", "notes",
              "decisions", "summary", "target_on")


def _payload(data):
    """The body of a step, checked for shape: an object whose text keys hold text."""
    if not isinstance(data, dict):
        raise LuoshiError("the request body must be a JSON object", "提交的数据格式有误,应为JSON对象", field=None)
    for key in _TEXT_KEYS:
        v = data.get(key)
        if v is not None and not isinstance(v, str):
            raise LuoshiError(f"{key} must be a string", f"“{key}”应为文字", field=key)
    return data


def _pk(v):
    """An id given as a number or a string of ASCII digits ("²" and "１５" are not ids); else None."""
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if isinstance(v, str) and v.isascii() and v.isdigit() and len(v) <= 18:
        return int(v)
    return None


def _approve(d):
    v = d.get("approve")
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower() if isinstance(v, (str, int)) else None
    if s in ("1", "true", "yes"):
        return True
    if s in ("0", "false", "no"):
        return False
    raise LuoshiError("approve must be true or false", "请选择批准或不批准延期", field="approve")


def _steps(d):
    steps = d.get("steps")
    if steps is None:
        return []
    if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
        raise LuoshiError("steps must be a list of strings", "化解措施应为文字列表", field="steps")
    return [(s, None) for s in steps]


def _unit(d):
    v = _pk(d.get("unit"))
    u = Unit.objects.filter(pk=v).first() if v is not None else None
    if u is None:
        raise LuoshiError("unit must be an existing unit id", "责任单位不存在", field="unit")
    return u


def _leader(d):
    v = _pk(d.get("leader") or d.get("owner_leader"))
    u = User.objects.filter(pk=v, role=Role.LEADER).first() if v is not None else None
    if u is None:
        raise LuoshiError("leader must be a leader's user id", "包案领导不存在", field="leader")
    return u


TRANSITIONS = {
    "assign": lambda u, p, d: svc.do_assign_petition(u, p, _unit(d), mode=d.get("mode") or "assign",
                                                     note=d.get("note", "")),
    "owner": lambda u, p, d: svc.do_set_owner_leader(u, p, _leader(d)),
    "accept": lambda u, p, d: svc.do_accept_petition(u, p, on=d.get("on")),
    "refuse": lambda u, p, d: svc.do_refuse_petition(u, p, d.get("reason", ""), on=d.get("on")),
    "extend": lambda u, p, d: svc.do_request_extension(u, p, days=d.get("days"), reason=d.get("reason", "")),
    "decide-extension": lambda u, p, d: svc.do_decide_extension(u, p, approve=_approve(d)),
    "answer": lambda u, p, d: svc.do_answer_petition(u, p, d.get("answer", ""), on=d.get("on")),
    "rate": lambda u, p, d: svc.do_rate_petition(u, p, d.get("satisfaction", "")),
    "review": lambda u, p, d: svc.do_request_review(u, p, stage="review", on=d.get("on")),
    "recheck": lambda u, p, d: svc.do_request_review(u, p, stage="recheck", on=d.get("on")),
    "review-decide": lambda u, p, d: svc.do_decide_review(u, p, d.get("opinion", ""), stage="review",
                                                          on=d.get("on")),
    "recheck-decide": lambda u, p, d: svc.do_decide_review(u, p, d.get("opinion", ""), stage="recheck",
                                                           on=d.get("on")),
    "terminate": lambda u, p, d: svc.do_terminate_petition(u, p, note=d.get("note", "")),
    "meeting": lambda u, p, d: svc.do_record_meeting(u, p, held_on=d.get("held_on"), attendees=d.get("attendees", ""),
                                                     notes=d.get("notes", ""), decisions=d.get("decisions", "")),
    "plan": lambda u, p, d: svc.do_save_resolution_plan(u, p, summary=d.get("summary", ""),
                                                        target_on=d.get("target_on"),
                                                        steps=_steps(d)),
    "resolve": lambda u, p, d: svc.do_resolve_backlog(u, p, note=d.get("note", "")),
}
