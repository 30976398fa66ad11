"""The project's URLs: each app's own under its prefix, the API at /api/v1/, the admin site."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from milepost.accounts import views as account_views
from milepost.accounts.sso import SingleSignOnCallbackView, SingleSignOnStartView
from milepost.site import privacy_views
from milepost.site import views as site_views
from milepost.site.api import api

urlpatterns = [
    path("", site_views.home, name="home"),
    path("about/", login_not_required(site_views.about), name="about"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/sso/",
        login_not_required(SingleSignOnStartView.as_view()),
        name="oidc-login",
    ),
    path(
        "accounts/sso/callback/",
        login_not_required(SingleSignOnCallbackView.as_view()),
        name="oidc-callback",
    ),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/my-data/", privacy_views.my_data, name="my-data"),
    path("accounts/units/search/", account_views.unit_search, name="unit-search"),
    path(
        "privacy/employees/<int:employee_id>/export/",
        privacy_views.export_personal_data,
        name="personal-data-export",
    ),
    path(
        "privacy/employees/<int:employee_id>/erase/",
        privacy_views.erase_personal_data,
        name="personal-data-erase",
    ),
    path("accounts/tokens/", account_views.api_tokens, name="api-tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        account_views.revoke_api_token_view,
        name="api-token-revoke",
    ),
    path("accounts/notifications/", account_views.notifications, name="notifications"),
    path(
        "accounts/notifications/settings/",
        account_views.notification_settings,
        name="notification-settings",
    ),
    path("accounts/two-factor/", account_views.two_factor_view, name="two-factor"),
    path(
        "accounts/two-factor/verify/",
        account_views.two_factor_verify_view,
        name="two-factor-verify",
    ),
    path(
        "accounts/two-factor/recovery-codes/",
        account_views.two_factor_codes_view,
        name="two-factor-codes",
    ),
    path("audit/", site_views.audit_trail, name="audit-trail"),
    path("frameworks/", include("milepost.frameworks.urls")),
    path("people/", include("milepost.people.urls")),
    path("people/", include("milepost.reviews.urls")),
    path("clients/", include("milepost.clients.urls")),
    path("needs/", include("milepost.needs.urls")),
    path("proposals/", include("milepost.proposals.urls")),
    path("insights/", include("milepost.insights.urls")),
    path("catalogue/", include("milepost.catalogue.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
