"""The request and response schemas of the work app's API (``govcube.work.api``).

No ``from __future__ import annotations`` here: ninja reads the real types.
"""

from datetime import date, datetime

from ninja import Schema

from govcube.work.models import NeedSource, NeedStatus, ProjectStatus, ResourceKind, ResourceStatus


class PageOut(Schema):
    next_cursor: str | None
    total: int
    total_capped: bool


class PageIn(Schema):
    limit: int = 50
    cursor: str | None = None


class NeedOut(Schema):
    id: int
    body_id: int
    body: str
    building_id: int | None
    title: str
    description: str
    source: str
    status: str
    created: datetime
    version: int


class NeedPage(PageOut):
    items: list[NeedOut]


class NeedFilter(PageIn):
    status: NeedStatus | None = None
    body: int | None = None
    source: NeedSource | None = None


class NeedIn(Schema):
    body_id: int
    title: str
    description: str = ""
    source: NeedSource = NeedSource.OTHER
    building_id: int | None = None


class ResourceOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    quantity: str
    enterprise_id: int | None
    party_organisation_id: int | None
    offerer: str
    body_id: int | None
    available_until: date | None
    status: str
    project_id: int | None
    created: datetime
    version: int


class ResourcePage(PageOut):
    items: list[ResourceOut]


class ResourceFilter(PageIn):
    status: ResourceStatus | None = None
    kind: ResourceKind | None = None
    body: int | None = None


class ResourceIn(Schema):
    kind: ResourceKind
    title: str
    description: str = ""
    quantity: str = ""
    enterprise_id: int | None = None
    party_organisation_id: int | None = None
    body_id: int | None = None
    available_until: date | None = None


class ProjectOut(Schema):
    id: int
    body_id: int
    body: str
    building_id: int | None
    title: str
    status: str
    claimed_share: int
    progress: int
    starts_on: date | None
    due_on: date | None
    created: datetime
    version: int


class ProjectPage(PageOut):
    items: list[ProjectOut]


class ProjectFilter(PageIn):
    status: ProjectStatus | None = None
    body: int | None = None


class ClaimOut(Schema):
    id: int
    project_id: int
    enterprise_id: int | None
    party_organisation_id: int | None
    claimant: str
    share: int
    commitment: str
    status: str
    reason: str
    created: datetime
    version: int
    actions: list[str]


class ClaimPage(PageOut):
    items: list[ClaimOut]


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    done_at: datetime | None
    order: int
    version: int


class ProjectDetail(ProjectOut):
    description: str
    what_is_needed: str
    decision_id: int | None
    need_ids: list[int]
    outcome: str
    reason: str
    published_at: datetime | None
    completed_at: datetime | None
    verified_at: datetime | None
    claims: list[ClaimOut]
    milestones: list[MilestoneOut]
    actions: list[str]


class ProjectIn(Schema):
    body_id: int
    title: str
    description: str
    what_is_needed: str = ""
    building_id: int | None = None
    need_ids: list[int] = []
    decision_id: int | None = None
    starts_on: date | None = None
    due_on: date | None = None
    milestones: list[str] = []


class ProjectActionIn(Schema):
    reason: str = ""
    outcome: str = ""
    version: int | None = None


class ClaimIn(Schema):
    share: int
    commitment: str = ""
    enterprise_id: int | None = None
    party_organisation_id: int | None = None


class MilestoneIn(Schema):
    title: str
    due_on: date | None = None


class VersionIn(Schema):
    version: int | None = None


class ProgressOut(Schema):
    id: int
    text: str
    progress: int | None
    milestone_id: int | None
    claim_id: int | None
    created: datetime
    photos: list[str]


class ProgressPage(PageOut):
    items: list[ProgressOut]


class ProgressIn(Schema):
    text: str
    progress: int | None = None
    milestone_id: int | None = None


class CommitIn(Schema):
    resource_id: int
