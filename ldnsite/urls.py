from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.static import serve

from articles import sitemaps as evidence_sitemaps
from articles import views as evidence_views
from discussions import sitemaps as discussion_sitemaps
from testimonials import sitemaps as experience_sitemaps

from . import editor, health, mfa
from .accounts import data as member_data
from .accounts import views as member_views
from .pages import sitemaps as page_sitemaps
from .search import sitemaps as site_sitemaps
from .search import views as search_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "ldnsite editors"
admin.site.site_title = "ldnsite admin"

# A lost database connection shows the branded 503 page ("nothing you wrote is lost"), not a 500.
handler500 = "ldnsite.errors.server_error"

# Each app offers its own sitemaps; the site composes them into the one /sitemap.xml.
SITEMAPS = site_sitemaps.merge(
    evidence_sitemaps.SITEMAPS,
    experience_sitemaps.SITEMAPS,
    discussion_sitemaps.SITEMAPS,
    page_sitemaps.SITEMAPS,
)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/export/", member_data.export, name="account_export"),
    path("accounts/delete/", member_data.delete, name="account_delete"),
    path("accounts/display-name/", member_views.change_display_name, name="account_display_name"),
    # allauth's sign-up, which answers a name or address taken in the same instant with a form error.
    path("accounts/signup/", member_views.signup, name="account_signup"),
    # allauth's two-factor set-up, finished without a second code and returning to the page asked for.
    path("accounts/2fa/totp/activate/", mfa.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/recovery-codes/", mfa.view_recovery_codes, name="mfa_view_recovery_codes"),
    # "Send the e-mail again" on allauth's "confirm your address" page; before allauth's confirm-email/<key>/.
    path(
        "accounts/confirm-email/resend/", member_views.resend_confirmation, name="account_resend_confirmation"
    ),
    path("accounts/", include("allauth.urls")),
    path(settings.MARKDOWNX_URLS_PATH.lstrip("/"), editor.preview, name="markdownx_markdownify"),
    path(settings.MARKDOWNX_UPLOAD_URLS_PATH.lstrip("/"), editor.upload_image, name="markdownx_upload"),
    path("comments/", include("ldnsite.comments.urls")),
    path("helpful/", include("ldnsite.helpful.urls")),
    path("members/mentionable/", include("ldnsite.mentions.urls")),
    path("members/", include("ldnsite.accounts.urls")),
    path("moderation/", include("ldnsite.moderation.urls")),
    path("notifications/", include("ldnsite.notifications.urls")),
    path("testimonials/", include("testimonials.urls")),
    path("discussions/", include("discussions.urls")),
    path("healthz", health.live, name="healthz"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("search/", include("ldnsite.search.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("ldnsite.pages.urls")),
    path("robots.txt", search_views.robots_txt, name="robots_txt"),
    # The home page is the site's (shared code links to it as "home"); the articles app draws it.
    path("", evidence_views.home, name="home"),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
