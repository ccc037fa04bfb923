"""Deliberation pages: each view module owns its URL patterns (topics and campaigns, meetings, public pages)."""

from govcube.deliberation.views.meetings import urlpatterns as meeting_urls
from govcube.deliberation.views.public import urlpatterns as public_urls
from govcube.deliberation.views.topics import urlpatterns as topic_urls

app_name = "deliberation"
urlpatterns = [*topic_urls, *meeting_urls, *public_urls]
