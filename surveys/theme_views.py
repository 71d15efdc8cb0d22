"""Staff pages for the qualitative side: interviews, theme frequencies, and coding a
question's text answers with themes.

Reading needs the view permissions (analysts see everything, editors their organizations');
coding needs `surveys.change_answer` (data administrators), and only answers the user may see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .findings import text_answers, theme_frequencies
from .models import Interview, Question, Theme
from .views import _version


@permission_required("surveys.view_interview", raise_exception=True)
def interview_list(request):
    interviews = (
        Interview.objects.visible_to(request.user)
        .select_related("organization__jurisdiction", "interviewer", "guide__questionnaire")
        .prefetch_related("themes")
    )
    return render(request, "surveys/interview_list.html", {"interviews": interviews})


@permission_required("surveys.view_theme", raise_exception=True)
def theme_list(request):
    return render(request, "surveys/theme_list.html", {"themes": theme_frequencies(request.user)})


@permission_required("surveys.view_response", raise_exception=True)
def question_answers(request, pk, code):
    """Every text answer of a question the user may read, 50 a page; coding forms for those
    who may code."""
    version = _version(pk)
    question = get_object_or_404(Question, section__version=version, code=code)
    answers = text_answers(version, request.user, question).prefetch_related("themes")
    page = Paginator(answers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/question_answers.html",
        {
            "version": version,
            "question": question,
            "page": page,
            "themes": Theme.objects.all(),
            "may_code": request.user.has_perm("surveys.change_answer"),
        },
    )


@require_POST
@permission_required("surveys.change_answer", raise_exception=True)
def answer_themes(request, pk, code, answer):
    version = _version(pk)
    question = get_object_or_404(Question, section__version=version, code=code)
    coded = get_object_or_404(text_answers(version, request.user, question), pk=answer)
    chosen = Theme.objects.filter(pk__in=request.POST.getlist("themes"))
    coded.themes.set(chosen)
    messages.success(
        request,
        _("Themes saved for the answer of %(organization)s.")
        % {"organization": coded.response.organization.name},
    )
    page = request.POST.get("page", "1")
    return redirect(f"{request.path.rsplit('/', 3)[0]}/?page={page}#answer-{coded.pk}")
