from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Role data"

    def ready(self) -> None:
        # Every model write to the role data changes the token that roles.snapshot checks.
        from roles import models, snapshot

        def changed(sender, action: str = "post", **kwargs) -> None:
            if action.startswith("post"):  # many-to-many: once, after the change
                snapshot.bump()

        for model in (
            models.Source,
            models.Track,
            models.Level,
            models.SalaryBand,
            models.Zone,
            models.MarketFigure,
            models.Certification,
        ):
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"role-data-{model}")
            post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"role-del-{model}")
        m2m_changed.connect(
            changed,
            sender=models.Level.expected_certifications.through,
            weak=False,
            dispatch_uid="role-data-level-certifications",
        )
