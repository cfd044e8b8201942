"""`python manage.py load_guide`: the career guide's role data, idempotently."""

from django.core.management.base import BaseCommand

from roles.loader import guide_load, read_guide_data


class Command(BaseCommand):
    help = (
        "Load the career guide's tracks, levels, bands, zones, figures, skills and "
        "certifications. Creates what is missing; never overwrites an admin's edit, "
        "prints what differs instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Another guide data file (JSON) to load.")

    def handle(self, *args, **options):
        report = guide_load(data=read_guide_data(options.get("file")))
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.differences:
            self.stdout.write(
                self.style.WARNING(
                    "Stored values that differ from the guide (kept, not overwritten):"
                )
            )
            for difference in report.differences:
                self.stdout.write(f"  {difference}")
        total = sum(report.created.values())
        self.stdout.write(self.style.SUCCESS(f"Guide loaded: {total} rows created."))
