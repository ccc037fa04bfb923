from datetime import datetime

from ninja import Router, Schema, Status

from govcube.accounts import services
from govcube.core.api import ERRORS, api_login

router = Router(tags=["accounts"])


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    created: datetime
    last_used: datetime | None
    expires: datetime | None
    revoked: datetime | None


class TokenIn(Schema):
    name: str


class TokenCreated(TokenOut):
    token: str


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@api_login
def list_tokens(request):
    return list(request.user.api_tokens.order_by("-id")[:100])


@router.post("/tokens", response={201: TokenCreated, **ERRORS})
@api_login
def create_token(request, payload: TokenIn):
    row, raw = services.api_token_create(actor=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(row).dict(), "token": raw})


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
@api_login
def revoke_token(request, token_id: int):
    return services.api_token_revoke(actor=request.user, token_id=token_id)
