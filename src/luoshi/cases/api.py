"""REST API /api/cases/ (scoped by luoshi.cases.permissions).

GET  /api/cases/                 paged list (?status=, ?kind=, ?category=, ?page=)
POST /api/cases/                 create (office roles): kind, category, description, address, lat, long,
                                 reporter_name, reporter_phone, reporter_email, anonymous, subject_unit
GET  /api/cases/{id}/            detail with timeline and photos
POST /api/cases/{id}/transitions/  {"action": "dispatch", "unit": 12, ...} (see services.TRANSITIONS)
GET  /api/cases/categories/      categories with code, kind and time limit
GET  /api/cases/duplicates/      ?description=&address=&lat=&long=&category= possible duplicates
GET  /api/cases/stats/           ?period=YYYY-MM rates per unit
"""
from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from luoshi.core.errors import LuoshiError, deny

from . import permissions as perm
from .dedup import find_duplicates
from .models import Case, Category, Channel, Kind, Status
from .present import case_dict
from .services import TRANSITIONS, clean_point, do_create_case, do_transition, get_category


def _filtered(request):
    qs = perm.visible_cases(request.user).select_related("category", "subject_unit", "responsible_unit", "parent")
    p = request.query_params
    if p.get("status"):
        if p["status"] not in Status.values:
            raise LuoshiError("unknown status", "状态参数无效", field="status")
        qs = qs.filter(status=p["status"])
    if p.get("kind"):
        if p["kind"] not in Kind.values:
            raise LuoshiError("unknown kind", "类型参数无效", field="kind")
        qs = qs.filter(kind=p["kind"])
    if p.get("category"):
        qs = qs.filter(category__code=p["category"])
    if p.get("q"):
        q = p["q"][:100]
        # Search never matches the reporter's identity.
        qs = qs.filter(Q(number__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q))
    return qs.order_by("-created_at", "-id")


class CaseOut(serializers.Serializer):
    """A case as the requesting user may see it (reporter redacted unless entitled)."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    description = serializers.CharField()
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    subject_unit = serializers.CharField(allow_null=True)
    responsible_unit = serializers.CharField(allow_null=True)
    deadline = serializers.DateTimeField(allow_null=True)
    reporter = serializers.DictField()

    def to_representation(self, instance):
        return case_dict(self.context["request"].user, instance, detail=self.context.get("detail", False))


class CaseIn(serializers.Serializer):
    kind = serializers.CharField(help_text="problem | complaint")
    category = serializers.CharField()
    description = serializers.CharField()
    address = serializers.CharField(required=False)
    lat = serializers.FloatField(required=False)
    long = serializers.FloatField(required=False)
    reporter_name = serializers.CharField(required=False)
    reporter_phone = serializers.CharField(required=False)
    reporter_email = serializers.CharField(required=False)
    anonymous = serializers.BooleanField(required=False)
    subject_unit = serializers.CharField(required=False, help_text="unit id or name (complaints)")


class TransitionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    unit = serializers.CharField(required=False)
    note = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    reply = serializers.CharField(required=False)
    finding = serializers.CharField(required=False)
    opinion = serializers.CharField(required=False)
    rating = serializers.CharField(required=False)


class CategoryOut(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "kind", "group", "limit_value", "limit_unit", "description"]


_CREATE_TEXT = ("kind", "category", "description", "address", "reporter_name", "reporter_phone", "reporter_email",
                "reporter_address", "subject_unit", "subject_person", "channel")
_TRANSITION_TEXT = ("action", "unit", "note", "reason", "investigation", "finding", "opinion", "reply", "rating",
                    "comment", "into", "until")


def _body(request, text_fields: tuple[str, ...], passthrough: tuple[str, ...]) -> dict:
    """The request body as a plain dict of the fields the endpoint reads. A body that is not an object
    (a JSON list, string or number) and a text field given as an object, list or boolean are refused
    with a 400 naming the field, before any service runs (a number is taken as its text)."""
    data = request.data
    if not isinstance(data, dict):
        raise LuoshiError("the request body must be a JSON object (or form fields)", "请求内容应为JSON对象或表单字段")
    out = {k: data.get(k) for k in passthrough if data.get(k) is not None}
    for key in text_fields:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise LuoshiError(f"{key} must be text", f"字段“{key}”应为文本", field=key)
        out[key] = value if isinstance(value, str) else str(value)
    return out


class CaseListView(generics.ListAPIView):
    serializer_class = CaseOut

    def get_queryset(self):
        return _filtered(self.request)

    @extend_schema(request=CaseIn, responses={201: CaseOut})
    def post(self, request):
        d = _body(request, _CREATE_TEXT, ("lat", "long", "anonymous"))
        case, code = do_create_case(
            request.user, kind=d.get("kind", Kind.PROBLEM), category=d.get("category"),
            description=d.get("description", ""), address=d.get("address", ""), lat=d.get("lat"),
            long=d.get("long"), reporter_name=d.get("reporter_name", ""), reporter_phone=d.get("reporter_phone", ""),
            reporter_email=d.get("reporter_email", ""), reporter_address=d.get("reporter_address", ""),
            anonymous=str(d.get("anonymous", "")).lower() in {"1", "true", "yes", "on"},
            subject_unit=d.get("subject_unit"), subject_person=d.get("subject_person", ""),
            channel=d.get("channel", Channel.API), photos=request.FILES.getlist("photos"))
        return Response({**case_dict(request.user, case, detail=True), "query_code": code},
                        status=status.HTTP_201_CREATED)


class CaseDetailView(generics.RetrieveAPIView):
    serializer_class = CaseOut

    def get_queryset(self):
        return perm.visible_cases(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": True}


class CaseTransitionView(APIView):
    @extend_schema(request=TransitionIn, responses={200: CaseOut})
    def post(self, request, pk):
        case = get_object_or_404(perm.visible_cases(request.user), pk=pk)
        data = _body(request, _TRANSITION_TEXT, ("ok",))
        case = do_transition(request.user, case, str(data.get("action", "")), data)
        return Response(case_dict(request.user, Case.objects.get(pk=case.pk), detail=True))


class CategoryListView(generics.ListAPIView):
    serializer_class = CategoryOut

    def get_queryset(self):
        return Category.objects.filter(is_active=True)


_Results = inline_serializer("CaseResults", {"results": serializers.ListField(child=serializers.DictField())})


class DuplicateView(APIView):
    """Possible duplicates while an operator types (hotline screen)."""

    @extend_schema(responses={200: _Results})
    def get(self, request):
        if not perm.is_office(request.user):
            deny("check duplicates", "查询疑似重复案件")
        p = request.query_params
        lat, long = clean_point(p.get("lat"), p.get("long"))
        cat = None
        if p.get("category"):
            try:
                cat = get_category(p["category"])
            except LuoshiError:
                cat = None
        text = (p.get("description") or "")[:2000]
        address = (p.get("address") or "")[:300]
        if len(text) < 4 and len(address) < 4 and lat is None:
            return Response({"results": []})
        hits = find_duplicates(description=text, address=address, lat=lat, long=long, category=cat, threshold=60)
        return Response({"results": [
            {"id": h["case"].pk, "number": h["case"].number, "score": h["score"], "near": h["near"],
             "status": h["case"].get_status_display(), "address": h["case"].address,
             "description": h["case"].description[:120], "created_at": h["case"].created_at.isoformat()}
            for h in hits]})


class StatsView(APIView):
    @extend_schema(responses={200: _Results})
    def get(self, request):
        from .stats import case_stats, parse_period

        start, end = parse_period(request.query_params.get("period"))
        return Response({"results": case_stats(request.user, start, end, by=request.query_params.get("by", "unit"))})


urlpatterns = [
    path("", CaseListView.as_view(), name="api-cases"),
    path("categories/", CategoryListView.as_view(), name="api-case-categories"),
    path("duplicates/", DuplicateView.as_view(), name="api-case-duplicates"),
    path("stats/", StatsView.as_view(), name="api-case-stats"),
    path("<int:pk>/", CaseDetailView.as_view(), name="api-case"),
    path("<int:pk>/transitions/", CaseTransitionView.as_view(), name="api-case-transitions"),
]
