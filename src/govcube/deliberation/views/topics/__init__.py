"""Pages for topics (议题) and topic collection campaigns (议题征集).

Thin: selectors read (out of scope is 404), services write, forms only parse. The support
box swaps by htmx; every other action posts a small form and redirects back to the topic.
"""

from __future__ import annotations

from django.urls import path

from govcube.deliberation.views.topics.campaigns import campaign_close, campaign_detail, campaign_list, campaign_new
from govcube.deliberation.views.topics.detail import topic_action, topic_detail, topic_support, topic_unsupport
from govcube.deliberation.views.topics.lists import topic_list, topic_mine
from govcube.deliberation.views.topics.submit import topic_edit, topic_new

urlpatterns = [
    path("bodies/<int:body_id>/topics/", topic_list, name="topic_list"),
    path("bodies/<int:body_id>/topics/new/", topic_new, name="topic_new"),
    path("topics/mine/", topic_mine, name="topic_mine"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", topic_edit, name="topic_edit"),
    path("topics/<int:pk>/support/", topic_support, name="topic_support"),
    path("topics/<int:pk>/unsupport/", topic_unsupport, name="topic_unsupport"),
    path("topics/<int:pk>/<slug:action>/", topic_action, name="topic_action"),
    path("bodies/<int:body_id>/campaigns/", campaign_list, name="campaign_list"),
    path("bodies/<int:body_id>/campaigns/new/", campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/close/", campaign_close, name="campaign_close"),
]
