from django.urls import path

from . import respond, theme_views, views

app_name = "surveys"

urlpatterns = [
    path("questionnaire/<str:token>/", respond.response_start, name="response_start"),
    path(
        "questionnaire/<str:token>/section/<int:number>/",
        respond.response_section,
        name="response_section",
    ),
    path("questionnaire/<str:token>/review/", respond.response_review, name="response_review"),
    path("surveys/", views.version_list, name="version_list"),
    path("surveys/<int:pk>/results/", views.version_results, name="version_results"),
    path(
        "surveys/<int:pk>/response-rates/",
        views.version_response_rates,
        name="version_response_rates",
    ),
    path("surveys/<int:pk>/export.<str:fmt>", views.version_export, name="version_export"),
    path(
        "surveys/<int:pk>/answers/<slug:code>/",
        theme_views.question_answers,
        name="question_answers",
    ),
    path(
        "surveys/<int:pk>/answers/<slug:code>/<int:answer>/themes/",
        theme_views.answer_themes,
        name="answer_themes",
    ),
    path("surveys/interviews/", theme_views.interview_list, name="interview_list"),
    path("surveys/themes/", theme_views.theme_list, name="theme_list"),
]
