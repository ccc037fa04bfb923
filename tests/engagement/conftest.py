from __future__ import annotations

import pytest

from govcube.accounts.roles import Role
from govcube.engagement.services import liaison_assign
from tests.factories import person_user


@pytest.fixture
def cadres(world, personas):
    """Two liaison cadres of 南京西路街道 (the role at the street), wang assigned to 恒隆广场."""
    wang = person_user("cadre_wang", world.ent_a, "王包联", role=Role.LIAISON_CADRE, node=world.street_a)
    zhao = person_user("cadre_zhao", world.ent_a, "赵包联", role=Role.LIAISON_CADRE, node=world.street_a)
    assignment = liaison_assign(actor=personas.street_njxl, building=world.henglong, cadre=wang)
    return wang, zhao, assignment
