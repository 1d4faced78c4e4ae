"""Published 典型问题通报 on the citizen portal (/public/bulletins/, no login), always masked. Served by
accountability itself — the portal app (luoshi.public) is a sibling layer and links here by URL name;
the pages extend the portal's template "public/base.html"."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import cache_control

from luoshi.core.params import paginate
from .documents import bulletin_pdf as render_pdf
from .documents import case_paragraphs
from .models import Bulletin


def published_bulletins():
    return Bulletin.objects.filter(is_published=True).order_by("-published_on", "-id")


def bulletin_dict(b) -> dict:
    return {"id": b.pk, "number": b.number, "title": b.title, "intro": b.intro, "closing": b.closing,
            "published_on": b.published_on, "cases": case_paragraphs(b, masked=True)}


def _bulletin(pk):
    b = published_bulletins().filter(pk=pk).first()
    if b is None:
        raise Http404
    return b


@cache_control(public=True, max_age=60)
def bulletins(request):
    page = paginate(published_bulletins(), 20, request.GET.get("page"))
    return render(request, "accountability/public_bulletins.html", {"section": "bulletins", "page": page})


@cache_control(public=True, max_age=60)
def bulletin(request, pk: int):
    d = bulletin_dict(_bulletin(pk))
    return render(request, "accountability/public_bulletin.html", {"section": "bulletins", "b": d, "cases": d["cases"]})


@cache_control(public=True, max_age=300)
def bulletin_pdf(request, pk: int):
    b = _bulletin(pk)
    resp = HttpResponse(render_pdf(b, masked=True), content_type="application/pdf")
    resp["Content-Disposition"] = content_disposition_header(False, f"{b.title}.pdf")
    return resp
