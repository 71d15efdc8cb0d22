"""The respondent's pages, reached by a private link without an account.

`/<lang>/questionnaire/<token>/` (start, or the read-only copy once submitted),
`…/section/<n>/` (one page per section), `…/review/` (review, then submit once).
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import answering
from .answering import AlreadySubmitted, SectionForm
from .tokens import RateLimited, invitation_for


def _refusal(request, status, title, message):
    return render(
        request,
        "surveys/respond_refused.html",
        {"title": title, "message": message},
        status=status,
    )


def with_response(view):
    """Resolve the token to its response, or answer with a clear page that changes nothing."""

    @login_not_required
    @never_cache
    @functools.wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            invitation = invitation_for(request, token)
        except RateLimited:
            return _refusal(
                request,
                429,
                _("Too many attempts"),
                _(
                    "Too many unknown links were tried from your address. Wait a few minutes, "
                    "then open the link from your invitation again."
                ),
            )
        if invitation is None:
            return _refusal(
                request,
                404,
                _("This link is not valid"),
                _(
                    "No questionnaire answers to this link. Check that the whole address from "
                    "your invitation was copied, or ask the council for a new invitation."
                ),
            )
        response = getattr(invitation, "response", None)
        submitted = response is not None and response.is_submitted
        if not submitted:
            if invitation.is_expired:
                return _refusal(
                    request,
                    410,
                    _("This link has expired"),
                    _("The invitation expired on %(date)s. Ask the council for a new one.")
                    % {"date": invitation.expires_at.date().isoformat()},
                )
            if not invitation.version.accepts_answers:
                return _refusal(
                    request,
                    410,
                    _("This questionnaire is closed"),
                    _("The questionnaire no longer accepts answers."),
                )
            if response is None:
                from .models import Response

                response = Response.for_invitation(invitation)
        request.survey_token = token
        return view(request, invitation, response, *args, **kwargs)

    return wrapped


def _context(request, invitation, response, sections, answers, **extra):
    codes = answering.codes_by_question(answers)
    shown = answering.shown_sections(sections, codes)
    total = sum(len(answering.shown_questions(s, codes)) for s in shown)
    done = sum(
        1
        for s in shown
        for question in answering.shown_questions(s, codes)
        if answering.is_answered(question, answers)
    )
    return {
        "invitation": invitation,
        "response": response,
        "version": invitation.version,
        "token": request.survey_token,
        "sections": shown,
        "answered": done,
        "total": total,
        "percent": round(100 * done / total) if total else 100,
        **extra,
    }


def _already_submitted(request, invitation, response):
    return _refusal(
        request,
        409,
        _("Already submitted"),
        _(
            "These answers were submitted on %(date)s and can no longer change. Nothing was "
            "changed. The link shows a read-only copy."
        )
        % {"date": response.submitted_at.date().isoformat()},
    )


@require_http_methods(["GET"])
@with_response
def response_start(request, invitation, response):
    sections = answering.version_structure(invitation.version)
    answers = answering.load_answers(response)
    context = _context(request, invitation, response, sections, answers)
    if response.is_submitted:
        context["pages"] = answering.review(sections, answers)
        return render(request, "surveys/response_submitted.html", context)
    return render(request, "surveys/response_start.html", context)


@require_http_methods(["GET", "POST"])
@with_response
def response_section(request, invitation, response, number):
    if response.is_submitted:
        if request.method == "POST":
            return _already_submitted(request, invitation, response)
        return redirect("surveys:response_start", token=request.survey_token)
    sections = answering.version_structure(invitation.version)
    answers = answering.load_answers(response)
    shown = answering.shown_sections(sections, answering.codes_by_question(answers))
    if not 1 <= number <= len(shown):
        return redirect("surveys:response_review", token=request.survey_token)
    section = shown[number - 1]
    action = request.POST.get("action", "next")
    form = SectionForm(section, response, answers, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if action in ("later", "language", "previous") or form.enforce_required():
            try:
                form.save()
            except AlreadySubmitted:
                return _already_submitted(request, invitation, response)
            return _after_save(request, action, number)
    status = 400 if request.method == "POST" else 200
    context = _context(
        request,
        invitation,
        response,
        sections,
        answers,
        form=form,
        section=section,
        number=number,
        is_last=number == len(shown),
    )
    return render(request, "surveys/response_section.html", context, status=status)


def _after_save(request, action, number):
    token = request.survey_token
    if action == "previous":
        return redirect("surveys:response_section", token=token, number=max(number - 1, 1))
    if action == "later":
        url = reverse("surveys:response_start", kwargs={"token": token})
        return redirect(f"{url}?saved=1")
    if action == "language":
        here = reverse("surveys:response_section", kwargs={"token": token, "number": number})
        other = "en" if request.LANGUAGE_CODE.startswith("fr") else "fr"
        return redirect(translate_url(here, other))
    # Saving the page may show or hide later sections: count them again on the next request.
    return redirect("surveys:response_section", token=token, number=number + 1)


@require_http_methods(["GET", "POST"])
@with_response
def response_review(request, invitation, response):
    if response.is_submitted:
        if request.method == "POST":
            return _already_submitted(request, invitation, response)
        return redirect("surveys:response_start", token=request.survey_token)
    missing = []
    if request.method == "POST":
        try:
            missing = answering.submit(response)
        except AlreadySubmitted:
            return _already_submitted(request, invitation, response)
        if not missing:
            return redirect("surveys:response_start", token=request.survey_token)
    sections = answering.version_structure(invitation.version)
    answers = answering.load_answers(response)
    context = _context(
        request,
        invitation,
        response,
        sections,
        answers,
        pages=answering.review(sections, answers),
        refused=bool(missing),
    )
    return render(request, "surveys/response_review.html", context, status=400 if missing else 200)
