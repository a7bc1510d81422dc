"""Public pages of the project ledger (公示): the list, a project, objections and ratings."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import otp
from shishi.core.ratelimit import client_ip, limit_ip
from shishi.core.validators import is_mobile, normalise_mobile
from shishi.orgs.queries import public_divisions
from shishi.orgs.views.common import paginate, run_action
from shishi.portal.common import TYPE_A_PHONE, code_status, text_code
from shishi.projects import actions, queries
from shishi.projects.access import access_public_project, public_projects
from shishi.projects.forms import ObjectionForm, PublicProjectFilterForm, RatingForm
from shishi.projects.models import RATABLE_STATUSES, Area, ProjectLevel, Status

PURPOSES = {"objection": "对公示项目提出异议", "rating": "评价实事项目"}


def project_list(request):
    divisions = list(public_divisions())
    form = PublicProjectFilterForm(request.GET, divisions=divisions)
    filters = form.values
    county = next((d for d in divisions if d.pk == filters["county"]), None)
    listed = queries.apply_filters(
        public_projects(), filters, today=timezone.localdate(), county=county
    )
    page = paginate(request, listed, per_page=20, query=form.query())
    return render(
        request,
        "portal/projects.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "areas": Area.choices,
            "levels": ProjectLevel.choices,
            "statuses": [
                (s, Status(s).label)
                for s in (
                    Status.DISCLOSED,
                    Status.IN_PROGRESS,
                    Status.COMPLETED,
                    Status.ACCEPTED,
                    Status.EVALUATED,
                )
            ],
            "divisions": divisions,
        },
    )


def project_detail(request, code: str):
    project = access_public_project(code)
    today = timezone.localdate()
    return render(
        request,
        "portal/project.html",
        {
            "project": project,
            "events": queries.timeline(project, public_only=True),
            "milestones": queries.milestones(project),
            "photos": queries.public_photos(project),
            "objections": queries.objections(project, answered_only=True),
            "ratings": queries.shown_ratings(project)[:50],
            "objecting": project.status == Status.DISCLOSED
            and project.disclosure_until
            and today <= project.disclosure_until,
            "rating_open": project.status in RATABLE_STATUSES,
            "objection_form": ObjectionForm(prefix="objection"),
            "rating_form": RatingForm(prefix="rating"),
        },
    )


@require_POST
@limit_ip(scope="project-otp", limit=10, window=3600)
def send_code(request, code: str, purpose: str):
    """htmx: text a one-time code before an objection or a rating."""
    access_public_project(code)
    if purpose not in PURPOSES:
        return code_status(request, error="无效的操作", status=400)
    phone = normalise_mobile(request.POST.get(f"{purpose}-phone", ""))
    if not is_mobile(phone):
        return code_status(request, error=TYPE_A_PHONE)
    return text_code(
        request, phone=phone, purpose=f"project-{purpose}", purpose_label=PURPOSES[purpose]
    )


def _public_write(request, code: str, purpose: str, form_class, write) -> HttpResponse:
    project = access_public_project(code)
    form = form_class(request.POST, prefix=purpose)

    def confirm_and_write() -> None:
        data = form.cleaned_data
        otp.verify_code(
            phone=data["phone"],
            purpose=f"project-{purpose}",
            code=data["otp"],
            requester=client_ip(request) or "unknown",
        )
        write(project, data)

    return run_action(
        request,
        confirm_and_write,
        form=form,
        success="提交成功，感谢您的参与！"
        + ("异议将由牵头单位答复后公开。" if purpose == "objection" else "评价内容审核后公开。"),
        back=reverse("portal:project", args=[project.code]),
    )


@require_POST
@limit_ip(scope="project-write", limit=20, window=3600)
def object_to(request, code: str):
    return _public_write(
        request,
        code,
        "objection",
        ObjectionForm,
        lambda p, d: actions.file_objection(
            project=p, phone=d["phone"], content=d["content"], now=timezone.now()
        ),
    )


@require_POST
@limit_ip(scope="project-write", limit=20, window=3600)
def rate(request, code: str):
    return _public_write(
        request,
        code,
        "rating",
        RatingForm,
        lambda p, d: actions.rate_project(
            project=p, phone=d["phone"], stars=d["stars"], comment=d["comment"], now=timezone.now()
        ),
    )


def attachment(request, code: str, pk: int):
    """Photos of a disclosed project are public, a progress report's once it is approved;
    nothing of an undisclosed project is."""
    project = access_public_project(code)
    item = queries.public_photo_of(project, pk)
    if item is None:
        raise Http404("没有找到该文件")
    return FileResponse(item.file.open("rb"), content_type=item.content_type)
