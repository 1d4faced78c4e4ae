"""API: sources, tasks (台账) with their transitions, reports, instructions, extensions,
timeline, and the ledger export. Reads go through ledger.permissions.visible_tasks;
writes go through the do_… services (which check permission and record the audit
trail with the API user as actor). A task the user may not see is a 404."""
from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from luoshi.core.params import get_bool, get_choice, parse_id

from . import services
from .exports import write_ledger_xlsx
from .models import OPEN_STATUSES, ExtensionRequest, Source, Status, Task
from .permissions import visible_tasks
from .serializers import (CompletionRequestSerializer, EventSerializer, ExtensionCreateSerializer,
                          ExtensionDecideSerializer, ExtensionSerializer, InstructionSerializer, NoteSerializer, ReasonSerializer,
                          ReportCreateSerializer, ReportSerializer, SourceSerializer, TaskCreateSerializer,
                          TaskSerializer, TaskUpdateSerializer)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TASK_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, description="status code(s), comma-separated: "
                     + ", ".join(Status.values)),
    OpenApiParameter("unit", OpenApiTypes.INT, description="unit id: tasks it leads or co-operates on"),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="1: only open tasks past their deadline"),
    OpenApiParameter("q", OpenApiTypes.STR, description="search number, title and requirement"),
    OpenApiParameter("source", OpenApiTypes.INT, description="source id"),
]


def filter_tasks(qs, params):
    """Apply the list filters (?status= ?unit= ?overdue=1 ?q= ?source=) to an already-visible queryset."""
    statuses = get_choice(params, "status", Status, "状态", many=True)
    if statuses:
        qs = qs.filter(status__in=statuses)
    unit = params.get("unit", "")
    if unit:
        unit_id = parse_id(unit, "unit", "单位")
        qs = qs.filter(id__in=Task.objects.filter(Q(lead_units=unit_id) | Q(co_units=unit_id)).values("id"))
    if get_bool(params, "overdue", "逾期"):
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=services.today())
    q = params.get("q", "").strip()
    if q:
        from .queries import search_q

        qs = qs.filter(search_q(q) | Q(number__icontains=q) | Q(requirement__icontains=q))
    source = params.get("source", "")
    if source:
        qs = qs.filter(source_id=parse_id(source, "source", "任务来源"))
    return qs


def _with_relations(qs):
    return qs.select_related("source").prefetch_related("lead_units", "co_units", "targets")


class PagedActionsMixin:
    def paged(self, qs, serializer_class):
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(serializer_class(page, many=True, context=self.get_serializer_context()).data)


# ---- sources -------------------------------------------------------------

@extend_schema_view(list=extend_schema(summary="Sources (来源) of the tasks you can see"),
                    create=extend_schema(summary="Register a source (督查员/管理员)"))
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer

    def get_queryset(self):
        user = self.request.user
        qs = Source.objects.select_related("created_by").order_by("-date", "-id")
        if user.sees_everything:
            return qs
        return qs.filter(id__in=visible_tasks(user).filter(source__isnull=False).values("source_id"))

    def perform_create(self, serializer):
        serializer.instance = services.do_create_source(self.request.user, **serializer.validated_data)


# ---- tasks ---------------------------------------------------------------

def _task_response(view, task, code=status.HTTP_200_OK):
    task = _with_relations(Task.objects.filter(pk=task.pk)).get()
    return Response(TaskSerializer(task, context=view.get_serializer_context()).data, status=code)


def _transition_schema(summary, request=None):
    return extend_schema(summary=summary, request=request, responses={200: TaskSerializer})


@extend_schema_view(
    list=extend_schema(parameters=TASK_FILTERS, summary="Tasks you can see (台账)"),
    retrieve=extend_schema(summary="One task"),
    create=extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer},
                         summary="立项 a task (督查员/管理员); assign=true also 交办"),
    partial_update=extend_schema(request=TaskUpdateSerializer, responses={200: TaskSerializer},
                                 summary="Edit a task (督查员/管理员, or the parent's lead unit for sub-tasks)"),
)
class TaskViewSet(PagedActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Task.objects.all()
    serializer_class = TaskSerializer
    # No PUT and no DELETE: tasks are edited field by field and never deleted (中止 instead).
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _with_relations(visible_tasks(self.request.user)).order_by("-id")

    def filter_queryset(self, queryset):
        if self.action == "list":
            queryset = filter_tasks(queryset, self.request.query_params)
        return queryset

    def create(self, request):
        ser = TaskCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        task = services.do_create_task(request.user, **ser.validated_data)
        return _task_response(self, task, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        task = self.get_object()
        ser = TaskUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        task = services.do_update_task(request.user, task, **ser.validated_data)
        return _task_response(self, task)

    # -- transitions -------------------------------------------------------

    @_transition_schema("交办: send the task to its units")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return _task_response(self, services.do_assign_task(request.user, self.get_object()))

    @_transition_schema("签收: the lead unit acknowledges the task")
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return _task_response(self, services.do_sign_task(request.user, self.get_object()))

    @_transition_schema("申请办结: the lead unit says the work is done (办结说明 below 100%; 目标完成值 per target)",
                        CompletionRequestSerializer)
    @action(detail=True, methods=["post"], url_path="request-completion")
    def request_completion(self, request, pk=None):
        task = self.get_object()
        ser = CompletionRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _task_response(self, services.do_request_completion(request.user, task, **ser.validated_data))

    @_transition_schema("审核: take a completion request under review")
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return _task_response(self, services.do_start_review(request.user, self.get_object()))

    @_transition_schema("办结: approve the completion (销号)", NoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        task = self.get_object()
        ser = NoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _task_response(self, services.do_approve_completion(request.user, task, **ser.validated_data))

    @_transition_schema("退回: send a completion request back, with a reason", ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_task(self, request, pk=None):
        task = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _task_response(self, services.do_return_task(request.user, task, **ser.validated_data))

    @_transition_schema("中止: stop a task that no longer applies, with a reason", ReasonSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        task = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _task_response(self, services.do_suspend_task(request.user, task, **ser.validated_data))

    # -- related lists and writes -----------------------------------------

    @extend_schema(methods=["GET"], responses=ExtensionSerializer(many=True), summary="延期申请 of this task")
    @extend_schema(methods=["POST"], request=ExtensionCreateSerializer, responses={201: ExtensionSerializer},
                   summary="延期申请: the lead unit asks for a later deadline")
    @action(detail=True, methods=["get", "post"])
    def extensions(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self.paged(task.extensions.select_related("unit", "requested_by", "decided_by")
                              .order_by("-created_at", "-id"), ExtensionSerializer)
        ser = ExtensionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        req = services.do_request_extension(request.user, task, **ser.validated_data)
        return Response(ExtensionSerializer(req).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=InstructionSerializer(many=True), summary="领导批示 on this task")
    @extend_schema(methods=["POST"], request=InstructionSerializer, responses={201: InstructionSerializer},
                   summary="领导批示: a leader in scope (or the supervision office) writes an instruction")
    @action(detail=True, methods=["get", "post"])
    def instructions(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self.paged(task.instructions.select_related("author").order_by("created_at", "id"),
                              InstructionSerializer)
        ser = InstructionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ins = services.do_add_instruction(request.user, task, ser.validated_data["text"])
        return Response(InstructionSerializer(ins).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=TaskSerializer(many=True), summary="Sub-tasks you can see")
    @extend_schema(methods=["POST"], request=TaskCreateSerializer, responses={201: TaskSerializer},
                   summary="分解: break the task down into a sub-task for subordinate units")
    @action(detail=True, methods=["get", "post"])
    def subtasks(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            subs = _with_relations(visible_tasks(request.user, task.subtasks.all())).order_by("id")
            return self.paged(subs, TaskSerializer)
        ser = TaskCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        sub = services.do_create_task(request.user, parent=task, **ser.validated_data)
        return _task_response(self, sub, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ReportSerializer(many=True),
                   summary="进展反馈 history, newest first")
    @extend_schema(methods=["POST"], request=ReportCreateSerializer, responses={201: ReportSerializer},
                   summary="进展反馈: the lead or a co-unit reports progress")
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            return self.paged(task.reports.select_related("unit", "author").order_by("-created_at", "-id"),
                              ReportSerializer)
        ser = ReportCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        report = services.do_report_progress(request.user, task, **ser.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EventSerializer(many=True), summary="The task's timeline, oldest first")
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        task = self.get_object()
        return self.paged(task.events.select_related("actor", "unit").order_by("at", "id"), EventSerializer)


# ---- extensions ----------------------------------------------------------

@extend_schema_view(list=extend_schema(
    summary="延期申请 on the tasks you can see, newest first",
    parameters=[OpenApiParameter("decision", OpenApiTypes.STR, description="pending, approved or refused")]))
class ExtensionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = ExtensionRequest.objects.all()
    serializer_class = ExtensionSerializer

    def get_queryset(self):
        qs = ExtensionRequest.objects.filter(task__in=visible_tasks(self.request.user).values("id"))
        return qs.select_related("unit", "requested_by", "decided_by").order_by("-created_at", "-id")

    def filter_queryset(self, queryset):
        decision = get_choice(self.request.query_params, "decision", ExtensionRequest.Decision, "审批结果") \
            if self.action == "list" else ""
        if decision:
            queryset = queryset.filter(decision=decision)
        return queryset

    @extend_schema(request=ExtensionDecideSerializer, responses={200: ExtensionSerializer},
                   summary="延期审批: approve or refuse (督查员/管理员)")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        req = self.get_object()
        ser = ExtensionDecideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        req = services.do_decide_extension(request.user, req, **ser.validated_data)
        return Response(ExtensionSerializer(req).data)


# ---- export --------------------------------------------------------------

class LedgerExportView(APIView):
    """The ledger (台账) of the tasks you can see as an Excel workbook, filtered like /api/tasks/."""

    @extend_schema(parameters=TASK_FILTERS, summary="Export the ledger (.xlsx)",
                   responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook")})
    def get(self, request):
        tasks = filter_tasks(visible_tasks(request.user), request.query_params)
        body = write_ledger_xlsx(tasks)
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx"
        return response
