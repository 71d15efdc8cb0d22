"""Sending invitations and reminders through Django's mail framework.

The raw token exists only while a message is written: it is stored as a hash. A reminder
therefore carries a fresh link and the earlier one stops working (the answers saved so far
belong to the invitation, not to the link, so nothing is lost).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation


def link(token, language, base_url):
    with translation.override(language):
        path = reverse("surveys:response_start", kwargs={"token": token})
    return f"{base_url.rstrip('/')}{path}"


def _send(invitation, token, base_url, *, reminder):
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "questionnaire": invitation.version.questionnaire,
            "link": link(token, invitation.language, base_url),
            "reminder": reminder,
            "expires": invitation.expires_at.date().isoformat(),
        }
        subject = (_("Reminder: %(title)s") if reminder else _("Invitation: %(title)s")) % {
            "title": invitation.version.questionnaire.title
        }
        body = render_to_string("surveys/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invite(*, version, organization, contact_name, email, language="en", base_url, days=None):
    """Create an invitation and email its private link; returns the invitation."""
    invitation, token = Invitation.create(
        version=version,
        organization=organization,
        contact_name=contact_name,
        email=email,
        language=language,
        days=days,
    )
    send_invitation(invitation, token, base_url)
    return invitation


def send_invitation(invitation, token, base_url):
    _send(invitation, token, base_url, reminder=False)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


def send_reminders(version, base_url, invitations=None):
    """Remind every invitee of the version who has not submitted; returns how many."""
    pending = (invitations or Invitation.objects.all()).filter(version=version).awaiting_answer()
    count = 0
    for invitation in pending.select_related("version__questionnaire"):
        token = invitation.new_token()
        _send(invitation, token, base_url, reminder=True)
        invitation.reminded_at = timezone.now()
        invitation.reminders += 1
        invitation.save(update_fields=["reminded_at", "reminders"])
        count += 1
    return count
