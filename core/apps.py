from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save, pre_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import api_tokens

        user_model = settings.AUTH_USER_MODEL
        pre_save.connect(
            api_tokens.note_password_change, sender=user_model, dispatch_uid="core.api_tokens"
        )
        post_save.connect(
            api_tokens.revoke_tokens_after_password_change,
            sender=user_model,
            dispatch_uid="core.api_tokens",
        )
