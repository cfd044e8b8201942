from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "offers"
    verbose_name = "Offers"

    def ready(self) -> None:
        from candidates import erasure
        from offers import erasure as offers_erasure
        from offers import sections

        sections.register()
        erasure.register(eraser=offers_erasure.erase_candidate)
