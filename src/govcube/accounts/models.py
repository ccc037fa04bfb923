from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.accounts.roles import Role


class User(AbstractUser):
    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        today = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today))


class RoleAssignment(models.Model):
    """A user holds a role at a territory node (reaching its subtree) or for an enterprise."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    node = models.ForeignKey(
        "territory.Node", verbose_name=_("territory"), null=True, blank=True, on_delete=models.CASCADE
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.CASCADE
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(node__isnull=False) | Q(enterprise__isnull=False), name="roleassignment_has_scope"
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.node or self.enterprise}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, shown once at creation."""

    PREFIX = "gc_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)
