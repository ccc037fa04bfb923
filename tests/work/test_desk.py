"""Desk panels of project claiming, and what the notifications say."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.notifications import messages as registry
from govcube.notifications.models import Notification
from govcube.work import desk, services
from govcube.work.models import Claim
from govcube.work.workflows import CLAIM_FLOW, PROJECT_FLOW

pytestmark = pytest.mark.django_db


def labels(panel) -> list[str]:
    return [item.label for item in panel.items]


def test_the_convener_sees_claims_to_approve_and_projects_to_verify(committee, claimants, make_project, running):
    waiting = make_project(title="待认领项目")
    services.claim_submit(actor=claimants.contact_a, project=waiting, share=30, enterprise=claimants.ent_a)
    services.project_action(actor=claimants.contact_a, project=running, action="complete", outcome="完成")
    panel = desk.claims_to_approve(committee.convener)
    assert labels(panel) == [f"待认领项目 · {claimants.ent_a.name}"] and "(1)" in panel.title
    assert panel.items[0].url == reverse("work:project_detail", args=[waiting.pk]) + "#claims"
    panel = desk.projects_to_verify(committee.convener)
    assert labels(panel) == [f"{running.title} · {committee.body.name}"]
    for user in (committee.members[0], claimants.contact_a, committee.employees[0]):
        assert desk.claims_to_approve(user) is None and desk.projects_to_verify(user) is None


def test_the_enterprise_contact_sees_their_claims_and_the_next_milestone(claimants, make_project, running, committee):
    other = make_project(title="另一个项目")
    services.claim_submit(actor=claimants.contact_a, project=other, share=10, enterprise=claimants.ent_a)
    panel = desk.my_claims(claimants.contact_a)
    assert labels(panel) == ["另一个项目 · 10%", f"{running.title} · 60%"]
    panel = desk.projects_we_work_on(claimants.contact_a)
    assert labels(panel) == [running.title]
    assert "设计" in panel.items[0].meta
    services.milestone_done(actor=claimants.contact_a, milestone=running.milestones.get(title="设计"))
    assert "施工" in desk.projects_we_work_on(claimants.contact_a).items[0].meta
    assert desk.projects_we_work_on(claimants.contact_d).items == []
    assert desk.my_claims(committee.employees[0]) is None
    assert labels(desk.my_claims(claimants.secretary)) == []


@pytest.mark.parametrize("who", ["convener", "contact"])
def test_desk_panels_run_a_bounded_number_of_queries(login, committee, claimants, make_project, count_queries, who):
    from govcube.accounts.models import User

    def grow(n, start):
        for i in range(start, start + n):
            project = make_project(title=f"项目{i}")
            claim = services.claim_submit(
                actor=claimants.contact_a, project=project, share=50, enterprise=claimants.ent_a
            )
            services.claim_submit(actor=claimants.contact_c, project=project, share=50, enterprise=claimants.ent_c)
            services.claim_action(actor=committee.convener, claim=claim, action="approve")
            project.refresh_from_db()
            services.project_action(actor=committee.convener, project=project, action="start")

    def count() -> int:
        user = User.objects.get(pk=(committee.convener if who == "convener" else claimants.contact_a).pk)
        with count_queries() as ctx:
            panels = [
                fn(user)
                for fn in (desk.claims_to_approve, desk.projects_to_verify, desk.my_claims, desk.projects_we_work_on)
            ]
        assert any(p is not None and p.items for p in panels)
        return len(ctx.captured_queries)

    grow(2, 0)
    small = count()
    grow(10, 2)
    assert count() == small and small <= 10, small
    client = login(committee.convener if who == "convener" else claimants.contact_a)
    assert client.get(reverse("core:home")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Notifications


def test_every_workflow_code_that_notifies_is_registered():
    for workflow in (PROJECT_FLOW, CLAIM_FLOW):
        for transition in workflow.transitions:
            if transition.notify is not None:
                assert registry.is_registered(f"{workflow.name}.{transition.action}"), transition.action


def test_each_code_sent_in_a_project_s_life_is_registered_and_renders(committee, claimants, make_project):
    need = services.need_create(actor=committee.members[0], body=committee.body, title="会议室不足")
    services.resource_offer(
        actor=claimants.contact_a, kind="venue", title="多功能厅", enterprise=claimants.ent_a, body=committee.body
    )
    resource = services.resource_offer(
        actor=claimants.contact_d, kind="funds", title="赞助", enterprise=claimants.ent_d
    )
    project = make_project(needs=[need])
    services.resource_commit(actor=committee.convener, resource=resource, project=project)
    first = services.claim_submit(actor=claimants.contact_a, project=project, share=60, enterprise=claimants.ent_a)
    second = services.claim_submit(actor=claimants.contact_c, project=project, share=30, enterprise=claimants.ent_c)
    third = services.claim_submit(actor=claimants.contact_d, project=project, share=10, enterprise=claimants.ent_d)
    services.claim_action(actor=committee.convener, claim=first, action="approve")
    services.claim_action(actor=committee.convener, claim=second, action="reject", reason="重复")
    services.claim_action(actor=committee.convener, claim=third, action="approve")
    third.refresh_from_db()
    services.claim_action(actor=claimants.contact_d, claim=third, action="withdraw", reason="人手不足")
    project.refresh_from_db()
    project = services.project_action(actor=committee.convener, project=project, action="start")
    services.progress_post(actor=claimants.contact_a, project=project, text="设计完成")
    project = services.project_action(actor=claimants.contact_a, project=project, action="complete", outcome="完成")
    project = services.project_action(actor=committee.convener, project=project, action="send_back", reason="补充照片")
    project = services.project_action(actor=claimants.contact_a, project=project, action="complete", outcome="完成")
    project = services.project_action(actor=committee.convener, project=project, action="verify")
    other = make_project(title="另一个")
    services.claim_submit(actor=claimants.contact_a, project=other, share=50, enterprise=claimants.ent_a)
    services.claim_action(actor=committee.convener, claim=Claim.objects.get(project=other), action="approve")
    services.project_action(actor=committee.convener, project=other, action="cancel", reason="取消")

    sent = set(Notification.objects.filter(code__startswith="work.").values_list("code", flat=True))
    expected = {
        "work.claim.submitted",
        "work.progress.posted",
        "work.resource.offered",
        "work.resource.committed",
        "work.project.start",
        "work.project.complete",
        "work.project.verify",
        "work.project.send_back",
        "work.project.cancel",
        "work.claim.approve",
        "work.claim.reject",
        "work.claim.withdraw",
    }
    assert sent == expected
    for notification in Notification.objects.filter(code__startswith="work.").select_related("recipient"):
        assert registry.is_registered(notification.code), notification.code
        subject, body = registry.render(notification, "en")
        assert subject and body and "%(" not in subject + body, notification.code
    bodies = [
        registry.render(n, "en")[1]
        for n in Notification.objects.filter(code="work.claim.submitted", object_id=str(project.pk))
    ]
    assert f"{claimants.ent_a.name} claimed 60% of the project" in " ".join(bodies)
