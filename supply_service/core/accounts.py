"""Staff accounts: the login lockout page and the password-reset e-mail through the outbox."""

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation

from supply_service.core.models import Outbox
from supply_service.core.services.outbox import outbox_enqueue


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this when a (user name, address) pair is locked: a page in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "registration/locked_out.html", {"minutes": minutes}, status=settings.AXES_HTTP_RESPONSE_CODE
    )


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail is written to the outbox (delivered by the worker, retried, logged)."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        window = int(timezone.now().timestamp() // (settings.PASSWORD_RESET_EMAIL_MINUTES * 60))
        outbox_enqueue(
            key=f"password-reset:{context['user'].pk}:{window}",
            channel=Outbox.Channel.EMAIL,
            recipient=to_email,
            subject=subject,
            body=body,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
