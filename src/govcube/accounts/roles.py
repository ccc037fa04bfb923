"""The roles of GovCube and the permissions each grants.

A role is held at a territory node (and reaches that node's subtree), or for an
enterprise (enterprise contact). Permission names are ``<app>.<verb>_<model>``.
The three administrator roles follow MLPS level 3's separation of duties: the
system administrator runs the data and configuration, the security
administrator runs accounts and roles, the auditor reads the audit trail; no
role of one can do the others' work and no user may hold two of them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    DISTRICT_LEADER = "district_leader", _("District leadership")
    STREET_OFFICIAL = "street_official", _("Street official")
    GRID_CHIEF = "grid_chief", _("Grid chief")
    GRID_WORKER = "grid_worker", _("Full-time party-and-masses worker")
    LIAISON_CADRE = "liaison_cadre", _("Liaison cadre")
    CONVENER = "convener", _("Convener")
    SECRETARY = "secretary", _("Secretary")
    ENTERPRISE_CONTACT = "enterprise_contact", _("Enterprise contact")
    EMPLOYEE = "employee", _("Employee")
    SERVICE_MEMBER = "service_member", _("Service team member")
    SERVICE_LEAD = "service_lead", _("Service team lead")
    ALLIANCE_LEAD = "alliance_lead", _("Alliance lead unit")
    EXPERT = "expert", _("Expert adviser")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that must sign in with a second factor (district level and administrators).
SECOND_FACTOR_ROLES = ADMIN_ROLES | {Role.DISTRICT_LEADER}

_VIEW_PLACES = {
    "bodies.view_body",
    "engagement.view_visit",
    "engagement.view_petition",
    "work.view_project",
    "territory.view_node",
    "territory.view_building",
    "directory.view_enterprise",
    "directory.view_partyorganisation",
}
_VIEW_PEOPLE = {"directory.view_person"}
_PARTY = {"directory.view_party_membership"}
_EXPORT = {"core.export_data"}
_MANAGE_DATA = {
    "territory.change_node",
    "territory.change_building",
    "territory.change_taxrecord",
    "territory.change_gridchief",
    "directory.change_enterprise",
    "directory.change_tenancy",
    "directory.change_partyorganisation",
    "directory.change_person",
    "core.import_data",
    "notifications.change_webhookendpoint",
    "bodies.change_body",
    "engagement.change_liaisonassignment",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(
        _VIEW_PLACES
        | _VIEW_PEOPLE
        | _EXPORT
        | _MANAGE_DATA
        | {"workdays.change_workday", "services.change_serviceitem"}
    ),
    Role.SECURITY_ADMIN: frozenset({"accounts.manage_user", "accounts.manage_roleassignment"}),
    Role.AUDITOR: frozenset({"audit.view_auditevent"}),
    Role.DISTRICT_LEADER: frozenset(_VIEW_PLACES | _VIEW_PEOPLE | _PARTY | _EXPORT | {"services.view_servicerequest"}),
    Role.STREET_OFFICIAL: frozenset(
        _VIEW_PLACES | _VIEW_PEOPLE | _PARTY | _EXPORT | _MANAGE_DATA | {"services.view_servicerequest"}
    ),
    Role.GRID_CHIEF: frozenset(_VIEW_PLACES | _VIEW_PEOPLE | _PARTY | _EXPORT),
    Role.GRID_WORKER: frozenset(_VIEW_PLACES | _VIEW_PEOPLE | _PARTY | _EXPORT),
    Role.LIAISON_CADRE: frozenset(_VIEW_PLACES | _VIEW_PEOPLE),
    Role.CONVENER: frozenset(_VIEW_PLACES | _VIEW_PEOPLE),
    Role.SECRETARY: frozenset(_VIEW_PLACES | _VIEW_PEOPLE),
    Role.ENTERPRISE_CONTACT: frozenset({"directory.view_enterprise", "territory.view_building", "territory.view_node"}),
    Role.EMPLOYEE: frozenset({"territory.view_building", "territory.view_node"}),
    Role.SERVICE_MEMBER: frozenset(_VIEW_PLACES),
    Role.SERVICE_LEAD: frozenset(
        _VIEW_PLACES | _EXPORT | {"services.view_servicerequest", "services.change_serviceitem"}
    ),
    Role.ALLIANCE_LEAD: frozenset(_VIEW_PLACES),
    Role.EXPERT: frozenset(_VIEW_PLACES),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())
