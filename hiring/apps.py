from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from candidates import erasure
        from hiring import erasure as hiring_erasure
        from hiring import scopes

        scopes.register()
        erasure.register(
            eraser=hiring_erasure.erase_candidate, keep=hiring_erasure.hired_candidates
        )
