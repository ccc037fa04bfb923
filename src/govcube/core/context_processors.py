"""Navigation by role: groups of entries, each shown only to those holding its permission."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (group label or None for a top-level entry, [(url name, label, permission or None), …])
NAV = [
    (None, [("core:home", _("My desk"), None)]),
    (
        _("Places"),
        [
            ("territory:tree", _("Territory"), "territory.view_node"),
            ("territory:building_list", _("Buildings"), "territory.view_building"),
            ("directory:enterprise_list", _("Enterprises"), "directory.view_enterprise"),
            ("directory:party_organisation_list", _("Party organisations"), "directory.view_partyorganisation"),
            ("directory:person_list", _("People"), "directory.view_person"),
        ],
    ),
    (
        _("Co-governance"),
        [
            ("bodies:body_list", _("Bodies"), "bodies.view_body"),
            ("engagement:liaison_list", _("Building liaison"), "engagement.view_visit"),
            ("engagement:petition_list", _("Special petitions"), None),
            ("work:index", _("Project claiming"), None),
            ("evaluation:round_list", _("Evaluation rounds"), None),
            ("deliberation:public_index", _("Public disclosure"), None),
        ],
    ),
    (
        _("Services"),
        [
            ("services:catalogue", _("Service desk"), None),
            ("services:board", _("Service board"), "services.view_servicerequest"),
            ("services:dashboard", _("Service KPIs"), "services.view_servicerequest"),
            ("services:day_list", _("Service days"), None),
        ],
    ),
    (
        _("Administration"),
        [
            ("imports:import_list", _("Import"), "core.import_data"),
            ("workdays:calendar", _("Working days"), "workdays.change_workday"),
            ("accounts:user_list", _("Accounts"), "accounts.manage_user"),
            ("audit:event_list", _("Audit trail"), "audit.view_auditevent"),
        ],
    ),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": []}
    from govcube.accounts.permissions import user_permissions

    perms = user_permissions(user)
    groups, every_item = [], []
    for label, entries in NAV:
        items = []
        for name, item_label, permission in entries:
            if permission is not None and permission not in perms:
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            items.append({"url": url, "label": item_label, "active": False})
        if items:
            groups.append({"label": label, "items": items, "active": False})
            every_item += [(item, groups[-1]) for item in items]
    # The most specific entry wins: /territory/buildings/ is "Buildings", not "Territory".
    matching = [
        (item, group) for item, group in every_item if item["url"] != "/" and request.path.startswith(item["url"])
    ]
    if matching:
        item, group = max(matching, key=lambda pair: len(pair[0]["url"]))
        item["active"] = group["active"] = True
    return {"nav_groups": groups}
