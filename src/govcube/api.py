"""The one NinjaAPI that mounts every app's router at /api/v1."""

from ninja import NinjaAPI

from govcube.core.api import AUTH, HouseParser, install_error_handlers

api = NinjaAPI(
    title="GovCube API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=HouseParser(),
)
install_error_handlers(api)

from govcube.accounts.api import router as accounts_router  # noqa: E402
from govcube.bodies.api import router as bodies_router  # noqa: E402
from govcube.deliberation.api import router as deliberation_router  # noqa: E402
from govcube.directory.api import router as directory_router  # noqa: E402
from govcube.territory.api import router as territory_router  # noqa: E402

api.add_router("/", territory_router)
api.add_router("/", directory_router)
api.add_router("/", accounts_router)

from govcube.services.api import router as services_router  # noqa: E402

api.add_router("/", services_router)
api.add_router("/", bodies_router)
api.add_router("/", deliberation_router)

from govcube.engagement.api import router as engagement_router  # noqa: E402

api.add_router("/", engagement_router)

from govcube.evaluation.api import router as evaluation_router  # noqa: E402
from govcube.work.api import router as work_router  # noqa: E402

api.add_router("/", work_router)
api.add_router("/", evaluation_router)
