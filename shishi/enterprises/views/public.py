"""The public page where an enterprise reports a problem itself (企业反映问题): its credit
code and the contact phone on file, confirmed by a texted code. The problem becomes an
appeal (channel 企业) received by its paired cadre's unit; the enterprise follows it by the
tracking code on the public tracking page."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import otp
from shishi.core.errors import Refused
from shishi.core.masking import mask_phone
from shishi.core.ratelimit import Limited, client_ip, limit_ip, too_many
from shishi.enterprises import actions, forms

PURPOSE = "enterprise-problem"
DONE_KEY = "enterprise_reported"


@limit_ip(scope="enterprise-report", limit=20, window=3600)
def report(request):
    form = forms.PublicProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            otp.verify_code(
                phone=data["phone"],
                purpose=PURPOSE,
                code=data["code"],
                requester=client_ip(request) or "unknown",
            )
        except Limited as limited:
            return too_many(request, limited.retry_after)
        except Refused as refusal:
            form.add_error("code", refusal.message)
        else:
            try:
                problem = actions.raise_public_problem(
                    credit_code=data["credit_code"],
                    phone=data["phone"],
                    data=actions.ProblemData(content=data["content"], kind=data["kind"]),
                    now=timezone.now(),
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                request.session[DONE_KEY] = problem.appeal.code
                return redirect("enterprises_public:reported")
    return render(request, "enterprises/public_report.html", {"form": form})


@require_POST
@limit_ip(scope="enterprise-otp", limit=10, window=3600)
def send_code(request):
    """htmx: text a code to the enterprise's contact phone, if the credit code and phone
    are those on file (nobody else's phone gets texted from this form)."""
    form = forms.PublicCodeForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return render(request, "portal/_code_sent.html", {"error": error})
    phone = form.cleaned_data["phone"]
    try:
        actions.find_enterprise(credit_code=form.cleaned_data["credit_code"], phone=phone)
        otp.send_code(phone=phone, purpose=PURPOSE, purpose_label="企业反映问题")
    except Limited as limited:
        return too_many(request, limited.retry_after)
    except Refused as refusal:
        return render(request, "portal/_code_sent.html", {"error": refusal.message})
    return render(request, "portal/_code_sent.html", {"to": mask_phone(phone)})


def reported(request):
    code = request.session.get(DONE_KEY)
    if not code:
        return redirect("enterprises_public:report")
    return render(request, "enterprises/public_reported.html", {"code": code})
