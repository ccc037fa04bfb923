"""Meeting pages (协商议事): the list and the scheduling form per body, the meeting page with open
attendance (开放式列席), the conduct view for recorders, minutes approval, and the iCalendar feed.

Views parse input and call the services; reads go through the selectors (out of scope is 404).
A plain POST is redirected on success and answered with the full page and the error's status
otherwise. An htmx POST gets back the partial it targets — errors included, with status 200,
because htmx does not swap in 4xx answers — and is never redirected.
"""

from __future__ import annotations

from django.urls import path, re_path

from govcube.deliberation.views.meetings import conduct, feed, pages
from govcube.deliberation.workflows import MEETING_FLOW, MINUTES_FLOW

_ACTIONS = "|".join(MEETING_FLOW.actions)
_MINUTES_ACTIONS = "|".join(MINUTES_FLOW.actions)

urlpatterns = [
    path("bodies/<int:body_id>/meetings/", pages.meeting_list, name="meeting_list"),
    path("bodies/<int:body_id>/meetings/new/", pages.meeting_create, name="meeting_create"),
    path("bodies/<int:body_id>/meetings.ics", feed.meeting_feed, name="meeting_feed"),
    path("meetings/<int:pk>/", pages.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", pages.agenda_add, name="meeting_agenda_add"),
    path("meetings/<int:pk>/registration/", pages.registration_create, name="meeting_register"),
    path("meetings/<int:pk>/registration/cancel/", pages.registration_cancel, name="meeting_unregister"),
    path("meetings/<int:pk>/conduct/", conduct.meeting_conduct, name="meeting_conduct"),
    path("meetings/<int:pk>/quorum/", conduct.meeting_quorum, name="meeting_quorum"),
    path("meetings/<int:pk>/presence/", conduct.presence_record, name="meeting_presence"),
    path("meetings/<int:pk>/check-in/", conduct.check_in, name="meeting_check_in"),
    re_path(rf"^meetings/(?P<pk>[0-9]+)/(?P<action>{_ACTIONS})/$", pages.meeting_action, name="meeting_action"),
    path("meetings/items/<int:item_id>/minutes/", conduct.minutes_save, name="meeting_minutes_save"),
    re_path(
        rf"^meetings/items/(?P<item_id>[0-9]+)/minutes/(?P<action>{_MINUTES_ACTIONS})/$",
        pages.minutes_action,
        name="meeting_minutes_action",
    ),
    path("meetings/items/<int:item_id>/decisions/", conduct.decision_record, name="meeting_decision_record"),
    path("meetings/decisions/<int:decision_id>/votes/", conduct.vote_cast, name="meeting_vote"),
    path("meetings/decisions/<int:decision_id>/close/", conduct.decision_close, name="meeting_decision_close"),
    path("meetings/decisions/<int:decision_id>/follow-ups/", conduct.follow_up_add, name="meeting_follow_up"),
]
