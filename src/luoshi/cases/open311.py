"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

services.{fmt}                    categories (service_code = Category.code)
services/{code}.{fmt}             service definition; complaints have the attribute subject_unit
requests.{fmt}  GET               public requests (problems only; complaints are never listed),
                                  filters service_request_id, service_code, start_date, end_date, status
requests.{fmt}  POST              api_key + service_code + (lat & long | address_string) + description …
requests/{id}.{fmt}               one request
tokens/{token}.{fmt}              token → service_request_id

fmt is json or xml; jurisdiction_id, when given, must equal settings.LUOSHI_OPEN311_JURISDICTION
(default "luoshi"). Errors use the spec's format: JSON [{"code": 400, "description": "…"}] or
XML <errors><error><code>400</code><description>…</description></error></errors>, with that HTTP status.
Nothing about the reporter is ever returned.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError

from . import refcache
from .models import Case, Category, Channel, Kind, Open311Key, OPEN_STATUSES, Status
from .services import do_create_case

MAX_IDS = 100


def jurisdiction() -> str:
    return getattr(settings, "LUOSHI_OPEN311_JURISDICTION", "luoshi")


# ---- keys ------------------------------------------------------------------

def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def do_add_key(actor, name: str) -> tuple[Open311Key, str]:
    """A new API key; the plain key is returned once and only its SHA-256 is stored."""
    name = (name or "").strip()[:100]
    if not name:
        raise LuoshiError("a key needs a name", "密钥名称不能为空", field="name")
    key = "o311_" + secrets.token_urlsafe(32)
    obj = Open311Key.objects.create(name=name, prefix=key[:10], key_hash=key_hash(key))
    record(actor, "open311.key_add", obj, after={"name": name, "prefix": obj.prefix})
    return obj, key


@transaction.atomic
def do_revoke_key(actor, name_or_prefix: str) -> int:
    keys = list(Open311Key.objects.filter(revoked_at__isnull=True).filter(name=name_or_prefix)) or list(
        Open311Key.objects.filter(revoked_at__isnull=True, prefix=name_or_prefix))
    if not keys:
        raise LuoshiError(f"no active key {name_or_prefix!r}", f"没有有效的密钥“{name_or_prefix}”", field="name")
    for k in keys:
        k.revoked_at = timezone.now()
        k.save(update_fields=["revoked_at"])
        record(actor, "open311.key_revoke", k, after={"name": k.name, "prefix": k.prefix})
    return len(keys)


def check_key(key: str) -> bool:
    """Whether `key` is a known, unrevoked key. Read from the per-process copy (refcache), which one
    fingerprint query keeps exact: a key revoked in any process is refused on the next request."""
    return bool(key) and refcache.active_key_id(key_hash(key)) is not None


# ---- rendering -------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # never valid in XML 1.0


def _xml_value(tag, value) -> str:
    if isinstance(value, list):
        inner = "".join(_xml_value(item_tag, v) for item_tag, v in value)
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, dict):
        return f"<{tag}>{''.join(_xml_value(k, v) for k, v in value.items())}</{tag}>"
    if value is None:
        return f"<{tag}></{tag}>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{escape(_NOT_XML.sub('', str(value)))}</{tag}>"


def _render(fmt: str, data, root: str, item: str, status: int = 200):
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    if isinstance(data, list):
        body = _xml_value(root, [(item, d) for d in data])
    else:
        body = _xml_value(root, data)
    return HttpResponse(f'<?xml version="1.0" encoding="utf-8"?>{body}', status=status,
                        content_type="text/xml; charset=utf-8")


def _error(fmt: str, code: int, description: str):
    return _render(fmt if fmt in ("json", "xml") else "json", [{"code": code, "description": description}],
                   "errors", "error", status=code)


def _fmt_ok(fmt):
    return fmt in ("json", "xml")


def _check_jurisdiction(request):
    j = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    return not j or j == jurisdiction()


def _w3c(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(c: Category) -> dict:
    return {"service_code": c.code, "service_name": c.name, "description": c.description or c.name,
            "metadata": c.kind == Kind.COMPLAINT, "type": "realtime", "keywords": c.group,
            "group": c.get_kind_display()}


def _request(c: Case) -> dict:
    return {
        "service_request_id": c.number, "status": "open" if c.status in OPEN_STATUSES else "closed",
        "status_notes": c.get_status_display(), "service_name": c.category.name, "service_code": c.category.code,
        "description": c.description, "agency_responsible": c.responsible_unit.name if c.responsible_unit_id else "",
        "service_notice": f"办理时限:{c.category.limit_text}", "requested_datetime": _w3c(c.created_at),
        "updated_datetime": _w3c(c.updated_at), "expected_datetime": _w3c(c.deadline), "address": c.address,
        "address_id": "", "zipcode": "", "lat": c.lat, "long": c.long, "media_url": "",
    }


def _public_requests():
    return (Case.objects.filter(kind=Kind.PROBLEM).exclude(status__in=(Status.VOID,))
            .select_related("category", "responsible_unit"))


# ---- views -----------------------------------------------------------------

def _methods(*allowed):
    """Open311 has no browser session: no CSRF check (which would answer another verb with Django's HTML
    403 page), and a verb the endpoint does not take gets 405 in the spec's error format."""
    def wrap(view):
        def inner(request, *args, fmt, **kwargs):
            if request.method not in allowed:
                resp = _error(fmt, 405, f"method {request.method} not allowed; use {' or '.join(allowed)}")
                resp["Allow"] = ", ".join(allowed)
                return resp
            return view(request, *args, fmt=fmt, **kwargs)
        inner.__name__, inner.__doc__ = view.__name__, view.__doc__
        return csrf_exempt(inner)
    return wrap


@_methods("GET", "HEAD")
def services(request, fmt):
    if not _fmt_ok(fmt):
        return _error("json", 404, "format must be json or xml")
    if not _check_jurisdiction(request):
        return _error(fmt, 404, "unknown jurisdiction_id")
    return _render(fmt, [_service(c) for c in Category.objects.filter(is_active=True)], "services", "service")


@_methods("GET", "HEAD")
def service_definition(request, code, fmt):
    if not _fmt_ok(fmt):
        return _error("json", 404, "format must be json or xml")
    if not _check_jurisdiction(request):
        return _error(fmt, 404, "unknown jurisdiction_id")
    cat = Category.objects.filter(code=code, is_active=True).first()
    if cat is None:
        return _error(fmt, 404, f"service_code {code} not found")
    attrs = []
    if cat.kind == Kind.COMPLAINT:
        from luoshi.orgs.models import Unit

        values = [{"key": str(u.pk), "name": u.name} for u in Unit.objects.filter(is_active=True)[:2000]]
        attrs.append({"variable": True, "code": "subject_unit", "datatype": "singlevaluelist", "required": True,
                      "datatype_description": "被投诉单位", "order": 1, "description": "被投诉单位",
                      "values": values})
    if fmt == "xml":
        data = {"service_code": cat.code, "attributes": [
            ("attribute", {**{k: v for k, v in a.items() if k != "values"},
                           "values": [("value", v) for v in a["values"]]}) for a in attrs]}
        return _render(fmt, data, "service_definition", "")
    return _render(fmt, {"service_code": cat.code, "attributes": attrs}, "service_definition", "")


def _parse_date(value):
    if not value:
        return None
    d = parse_datetime(value)
    if d is None:
        raise ValueError(value)
    return d if timezone.is_aware(d) else timezone.make_aware(d)


@_methods("GET", "HEAD", "POST")
def requests_view(request, fmt):
    if not _fmt_ok(fmt):
        return _error("json", 404, "format must be json or xml")
    if not _check_jurisdiction(request):
        return _error(fmt, 404, "unknown jurisdiction_id")
    if request.method == "POST":
        return _create(request, fmt)
    q = request.GET
    qs = _public_requests()
    if q.get("service_request_id"):
        ids = [i.strip() for i in q["service_request_id"].split(",") if i.strip()][:MAX_IDS]
        qs = qs.filter(number__in=ids)
    else:
        try:
            start, end = _parse_date(q.get("start_date")), _parse_date(q.get("end_date"))
        except ValueError:
            return _error(fmt, 400, "start_date/end_date must be w3c date-times, e.g. 2026-01-01T00:00:00Z")
        end = end or timezone.now()
        start = start or end - dt.timedelta(days=90)
        if end - start > dt.timedelta(days=90) or end < start:
            return _error(fmt, 400, "the date range may not span more than 90 days")
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        if q.get("service_code"):
            qs = qs.filter(category__code__in=[c.strip() for c in q["service_code"].split(",")])
        if q.get("status"):
            wanted = {s.strip() for s in q["status"].split(",")}
            if not wanted <= {"open", "closed"}:
                return _error(fmt, 400, "status must be open or closed")
            if wanted == {"open"}:
                qs = qs.filter(status__in=OPEN_STATUSES)
            elif wanted == {"closed"}:
                qs = qs.exclude(status__in=OPEN_STATUSES)
    rows = [_request(c) for c in qs.order_by("-created_at")[:1000]]
    return _render(fmt, rows, "service_requests", "request")


# The case fields a service error names, as an Open311 client calls them.
_OPEN311_FIELDS = {"reporter_name": "first_name/last_name", "reporter_phone": "phone", "reporter_email": "email",
                   "address": "address_string", "subject_unit": "attribute[subject_unit]", "photos": "media"}


def _open311_message(exc: LuoshiError) -> str:
    """The error in the client's own parameter names, the field named once ("lat must be …", not
    "lat: lat must be …"; "phone is longer …", not "reporter_phone: reporter_phone is longer …")."""
    msg, field = exc.message_en, exc.field
    if not field:
        return msg
    name = _OPEN311_FIELDS.get(field, field)
    if msg.startswith(field):
        rest = msg[len(field):]
        return name + (rest if not rest.startswith(": ") else ": " + rest[2:])
    return f"{name}: {msg}"


def _create(request, fmt):
    # One fingerprint query stands for the key, category and area look-ups (refcache).
    with refcache.snapshot():
        return _create_in(request, fmt)


def _create_in(request, fmt):
    p = request.POST
    if not check_key(p.get("api_key", "")):
        return _error(fmt, 403, "api_key is missing, unknown or revoked")
    code = p.get("service_code", "")
    cat = refcache.active_category(code) if code else None
    if cat is None:
        return _error(fmt, 404 if code else 400, f"service_code {code!r} not found" if code else "service_code is required")
    lat, long, address = p.get("lat"), p.get("long"), p.get("address_string", "")
    if not address and (lat in (None, "") or long in (None, "")) and not p.get("address_id"):
        return _error(fmt, 400, "a location is required: lat & long, address_string or address_id")
    name = " ".join(x for x in (p.get("last_name", ""), p.get("first_name", "")) if x).strip()
    subject = p.get("attribute[subject_unit]") or None
    try:
        case, qcode = do_create_case(
            "Open311", kind=cat.kind, category=cat, description=p.get("description", ""), address=address,
            lat=lat, long=long, reporter_name=name, reporter_phone=p.get("phone", ""),
            reporter_email=p.get("email", ""), anonymous=not (name or p.get("phone") or p.get("email")),
            subject_unit=subject, channel=Channel.OPEN311, photos=request.FILES.getlist("media"))
    except LuoshiError as exc:
        return _error(fmt, 400, _open311_message(exc))
    return _render(fmt, [{"service_request_id": case.number, "token": case.open311_token,
                          "service_notice": f"查询码 {qcode}(请妥善保存)", "account_id": None}],
                   "service_requests", "request", status=201)


@_methods("GET", "HEAD")
def request_detail(request, rid, fmt):
    if not _fmt_ok(fmt):
        return _error("json", 404, "format must be json or xml")
    if not _check_jurisdiction(request):
        return _error(fmt, 404, "unknown jurisdiction_id")
    case = _public_requests().filter(number=rid).first()
    if case is None:
        return _error(fmt, 404, f"service_request_id {rid} not found")
    return _render(fmt, [_request(case)], "service_requests", "request")


@_methods("GET", "HEAD")
def token_detail(request, token, fmt):
    if not _fmt_ok(fmt):
        return _error("json", 404, "format must be json or xml")
    if not _check_jurisdiction(request):
        return _error(fmt, 404, "unknown jurisdiction_id")
    case = Case.objects.filter(open311_token=token).first() if len(token) == 32 else None
    if case is None:
        return _error(fmt, 404, "token not found")
    return _render(fmt, [{"service_request_id": case.number, "token": token}], "service_requests", "request")
