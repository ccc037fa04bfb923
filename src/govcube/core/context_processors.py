from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAV = [
    ("core:home", _("My desk"), None),
    ("territory:tree", _("Territory"), "territory.view_node"),
    ("territory:building_list", _("Buildings"), "territory.view_building"),
    ("directory:enterprise_list", _("Enterprises"), "directory.view_enterprise"),
    ("bodies:body_list", _("Bodies"), "bodies.view_body"),
    ("services:catalogue", _("Service desk"), None),
    ("services:board", _("Service board"), "services.view_servicerequest"),
    ("services:dashboard", _("Service KPIs"), "services.view_servicerequest"),
    ("services:day_list", _("Service days"), None),
    ("directory:party_organisation_list", _("Party organisations"), "directory.view_partyorganisation"),
    ("directory:person_list", _("People"), "directory.view_person"),
    ("imports:import_list", _("Import"), "core.import_data"),
    ("workdays:calendar", _("Working days"), "workdays.change_workday"),
    ("accounts:user_list", _("Accounts"), "accounts.manage_user"),
    ("audit:event_list", _("Audit trail"), "audit.view_auditevent"),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from django.urls import NoReverseMatch

    from govcube.accounts.permissions import user_permissions

    perms = user_permissions(user)
    items = []
    for name, label, permission in NAV:
        if permission is not None and permission not in perms:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": False})
    # The most specific entry wins: /territory/buildings/ is "Buildings", not "Territory".
    matching = [item for item in items if request.path.startswith(item["url"]) and item["url"] != "/"]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
