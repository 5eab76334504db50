"""URL configuration. Every page but sign-in requires a signed-in user (LoginRequiredMiddleware);
each view also checks the user's role capability (accounts.roles)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.urls import path, re_path
from django.views.static import serve as static_serve

from sufficiency.web import audit_log
from sufficiency.web.accounts import password_reset
from sufficiency.web.accounts import user_views as users
from sufficiency.web.accounts import views as accounts
from sufficiency.web.dashboard import downloads as dashboard_downloads
from sufficiency.web.dashboard import forecast_views as forecast
from sufficiency.web.dashboard import narrative_views as narrative
from sufficiency.web.dashboard import published_views as published
from sufficiency.web.dashboard import scenario_compare
from sufficiency.web.dashboard import statement_views as statement
from sufficiency.web.dashboard import views as dashboard
from sufficiency.web.data import children_views
from sufficiency.web.data import views as data
from sufficiency.web.frontend import VENDOR
from sufficiency.web.health import HealthView
from sufficiency.web.matching import board_views as vacancy_board
from sufficiency.web.matching import views as matching
from sufficiency.web.region import views as region
from sufficiency.web.registers import import_views as register_imports
from sufficiency.web.registers import row_views as register_rows
from sufficiency.web.registers import views as registers
from sufficiency.web.search import views as search

urlpatterns = [
    # govuk-frontend's CSS asks for its fonts and images at /assets/.
    re_path(
        r"^assets/(?P<path>.*)$",
        login_not_required(static_serve),
        {"document_root": VENDOR / "govuk" / "assets"},
    ),
    path("accounts/login/", accounts.GovukLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/verify/", accounts.otp_verify, name="otp_verify"),
    path("accounts/totp/", accounts.totp_setup, name="totp_setup"),
    path("accounts/security/", accounts.security_settings, name="security_settings"),
    path("accounts/lockouts/", accounts.lockouts, name="lockouts"),
    path("accounts/lockouts/unlock/", accounts.unlock, name="unlock"),
    path("accounts/users/", users.users_list, name="users"),
    path("accounts/users/new/", users.user_new, name="user_new"),
    path("accounts/users/<int:pk>/", users.user_detail, name="user_detail"),
    path("accounts/users/<int:pk>/role/", users.user_role, name="user_role"),
    path("accounts/users/<int:pk>/email/", users.user_email, name="user_email"),
    path("accounts/users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("accounts/users/<int:pk>/reactivate/", users.user_reactivate, name="user_reactivate"),
    path("accounts/users/<int:pk>/reset/", users.user_reset, name="user_reset"),
    *[path(route, view.as_view(), name=name) for route, view, name in password_reset.ROUTES],
    path("health/", login_not_required(HealthView.as_view()), name="health"),
    path("audit/", audit_log.audit_log, name="audit"),
    path("audit/export.csv", audit_log.audit_export, name="audit_export"),
    path("", dashboard.home, name="dashboard"),
    path(
        "dashboard/download/<str:fmt>/",
        dashboard_downloads.download,
        name="dashboard_download",
    ),
    path("data/", data.returns, name="returns"),
    path("data/<int:year>/delete/", data.delete_year, name="delete_year"),
    path("data/upload/<int:pk>/", data.upload_review, name="upload_review"),
    path("data/upload/<int:pk>/confirm/", data.upload_confirm, name="upload_confirm"),
    path("data/upload/<int:pk>/cancel/", data.upload_cancel, name="upload_cancel"),
    path("data/archive/<int:pk>/restore/", data.restore_archive, name="restore_archive"),
    path("data/profile/", data.profile, name="profile"),
    path("search/", search.search, name="search"),
    path("data/children/", children_views.children, name="children"),
    path(
        "data/children/counted/<str:measure>/",
        children_views.children_behind,
        name="children_behind",
    ),
    path("data/children/<str:child>/", children_views.child_detail, name="child_detail"),
    path("registers/", registers.index, name="registers"),
    path("registers/<str:name>/", registers.register_list, name="register_list"),
    path("registers/<str:name>/new/", registers.register_new, name="register_new"),
    path("registers/<str:name>/<int:pk>/edit/", registers.register_edit, name="register_edit"),
    path(
        "registers/<str:name>/<int:pk>/retire/",
        register_rows.register_retire,
        name="register_retire",
    ),
    path(
        "registers/<str:name>/<int:pk>/restore/",
        register_rows.register_restore,
        name="register_restore",
    ),
    path(
        "registers/<str:name>/<int:pk>/history/",
        register_rows.register_history,
        name="register_history",
    ),
    path("registers/<str:name>/import/", register_imports.register_import, name="register_import"),
    path(
        "registers/<str:name>/import/<int:pk>/",
        register_imports.import_review,
        name="register_import_review",
    ),
    path(
        "registers/<str:name>/import/<int:pk>/confirm/",
        register_imports.import_confirm,
        name="register_import_confirm",
    ),
    path(
        "registers/<str:name>/import/<int:pk>/cancel/",
        register_imports.import_cancel,
        name="register_import_cancel",
    ),
    path("registers/<str:name>/export.csv", registers.register_export, name="register_export"),
    path(
        "registers/<str:name>/export.xlsx",
        registers.register_export,
        {"fmt": "xlsx"},
        name="register_export_xlsx",
    ),
    path("forecast/", forecast.forecast_page, name="forecast"),
    path("forecast/compare/", scenario_compare.scenario_compare, name="scenario_compare"),
    path(
        "forecast/compare/download/<str:fmt>/",
        scenario_compare.scenario_compare,
        name="scenario_compare_download",
    ),
    path("forecast/scenarios/new/", forecast.scenario_edit, name="scenario_new"),
    path("forecast/scenarios/<int:pk>/", forecast.scenario_edit, name="scenario_edit"),
    path("forecast/scenarios/<int:pk>/delete/", forecast.scenario_delete, name="scenario_delete"),
    path("forecast/scenarios/<int:pk>/copy/", forecast.scenario_copy, name="scenario_copy"),
    path("matching/", matching.referrals, name="referrals"),
    path("matching/<str:referral_id>/", matching.referral_detail, name="referral_detail"),
    path(
        "matching/<str:referral_id>/allocate/", matching.referral_allocate, name="referral_allocate"
    ),
    path("matching/<str:referral_id>/outcome/", matching.referral_outcome, name="referral_outcome"),
    path("matching/<str:referral_id>/edit/", matching.referral_edit, name="referral_edit"),
    path(
        "matching/<str:referral_id>/reference/",
        matching.referral_reference,
        name="referral_reference",
    ),
    path(
        "matching/<str:referral_id>/withdraw/", matching.referral_withdraw, name="referral_withdraw"
    ),
    path("matching/<str:referral_id>/hold/", vacancy_board.referral_hold, name="referral_hold"),
    path(
        "matching/<str:referral_id>/release/",
        vacancy_board.referral_release,
        name="referral_release",
    ),
    path(
        "matching/<str:referral_id>/summary/",
        vacancy_board.referral_send_summary,
        name="referral_summary",
    ),
    path(
        "matching/<str:referral_id>/answer/", vacancy_board.referral_answer, name="referral_answer"
    ),
    path("vacancies/", vacancy_board.vacancy_board, name="vacancy_board"),
    path("vacancies/<str:vacancy_id>/", vacancy_board.vacancy_detail, name="vacancy_detail"),
    path("providers/", vacancy_board.providers, name="providers"),
    path("providers/<int:pk>/", vacancy_board.providers, name="provider_edit"),
    path("notifications/", vacancy_board.notification_list, name="notifications"),
    path("region/", region.region_home, name="region"),
    path("region/needs/", region.region_needs, name="region_needs"),
    path("region/market/", region.region_market, name="region_market"),
    path("region/pool/", region.region_pool, name="region_pool"),
    path("region/outlook/", region.region_outlook, name="region_outlook"),
    path("statement/", statement.statement_page, name="statement"),
    path("statement/sign-off/", narrative.sign_off_edit, name="sign_off"),
    path("statement/narrative/<str:section>/", narrative.narrative_edit, name="narrative_edit"),
    path(
        "statement/narrative/<str:section>/history/",
        narrative.narrative_history,
        name="narrative_history",
    ),
    path(
        "statement/<int:year>/<str:mode>/<str:fmt>/",
        statement.statement_download,
        name="statement_download",
    ),
    path("statement/publish/<int:year>/", published.statement_publish, name="statement_publish"),
    path("statement/published/", published.published_list, name="statement_published"),
    path(
        "statement/published/<int:pk>/<str:fmt>/",
        published.published_download,
        name="statement_published_download",
    ),
]

if settings.OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc

    # The IdP round trip happens before sign-in, so these pages are public.
    urlpatterns += [
        path(
            "oidc/authenticate/",
            login_not_required(oidc.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            login_not_required(oidc.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
        path("oidc/logout/", login_not_required(oidc.OIDCLogoutView.as_view()), name="oidc_logout"),
    ]
