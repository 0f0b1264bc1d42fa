"""Background work of groupplans: e-mail leaves the request (see README, "Background work")."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Role
from groupplans.models import GroupOverview


@task
def notify_overview_sent(*, overview_id: int) -> None:
    """Tell the school's care coordinators that a teacher sent an overview. The e-mail names
    the group, the period and the teacher, and links to the overview; no pupil data."""
    overview = GroupOverview.objects.select_related(
        "group__school", "period__school_year", "sent_by"
    ).get(pk=overview_id)
    school = overview.group.school
    recipients = sorted(
        set(
            Membership.objects.active()
            .filter(school=school, role=Role.CARE_COORDINATOR, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "groupplans:overview_detail", kwargs={"pk": overview.pk}
    )
    context = {"overview": overview, "school": school, "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("groupplans/email/overview_sent_subject.txt", context).strip()
        body = render_to_string("groupplans/email/overview_sent.txt", context)
    send_mail(subject, body, None, recipients)
