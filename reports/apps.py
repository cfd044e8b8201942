from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from candidates import erasure
        from reports import erasure as reports_erasure
        from reports import sections

        sections.register()
        erasure.register(eraser=reports_erasure.erase_candidate)
