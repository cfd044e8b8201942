"""Demo and volume data for the pipeline: the logic behind ``manage.py seed_demo``.

Deterministic: every draw comes from one ``random.Random(seed)`` in a fixed order,
so the same seed and sizes give the same rows (primary keys aside). Rows are
generated one batch of candidates at a time and written in one transaction
(COPY on PostgreSQL, ``bulk_create`` elsewhere: see ``_Writer``), so memory
stays flat at 100,000 candidates.

The rows follow the pipeline's rules (``hiring.rules``): applications start at
sourced or applied, move forward (hired only from offer), end rejected or
withdrawn with a reason from the catalogue, and every move is a ``StageChange``
with increasing timestamps. Bulk inserts skip ``save()``, so no history rows
are written for generated data.

Offers follow ``offers.states``: every hired application has an accepted offer;
applications at the offer stage have one offer in any other state (at most one
open). Each offer takes the recommended base (``offers.recommendation.recommend``,
inputs built once per requisition), is pinned to the requisition's band version,
and has its approvals (the hiring manager; a compensation admin too for the few
outside the band, with a justification) and an ``OfferEvent`` per step.
"""

from __future__ import annotations

import datetime
import json
import random
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import build_search_document
from core import access
from hiring.models import (
    COMPETENCIES,
    Application,
    DispositionReason,
    Interview,
    Requisition,
    Scorecard,
    Stage,
    StageChange,
)
from hiring.stages import DISPOSITIONS, PIPELINE
from offers import recommendation as rec
from offers import selectors as offer_selectors
from offers.models import DeclineReason, Offer, OfferApproval, OfferEvent
from offers.states import OfferStatus
from roles.models import Certification, Level, Skill, Track, Zone
from roles.selectors import PricedBand, priced_band

DEMO_SEED = 2026
BATCH_SIZE = 5000
EMAIL_DOMAIN = "example.com"


@dataclass(frozen=True)
class Sizes:
    candidates: int
    requisitions: int
    applications: int


DEMO_SIZES = Sizes(candidates=300, requisitions=20, applications=360)


@dataclass(frozen=True)
class DemoUserSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    group: str | None


DEMO_USERS = (
    DemoUserSpec("demo-admin", "Alex", "Admin", "superuser", None),
    DemoUserSpec("demo-comp", "Casey", "Moreau", "compensation admin", access.COMPENSATION_ADMINS),
    DemoUserSpec("demo-recruiter", "Robin", "Reyes", "recruiter", access.RECRUITERS),
    DemoUserSpec("demo-manager", "Morgan", "Lee", "hiring manager", access.HIRING_MANAGERS),
    DemoUserSpec("demo-interviewer", "Ivy", "Chen", "interviewer", access.INTERVIEWERS),
)


@dataclass(frozen=True)
class DemoUser:
    spec: DemoUserSpec
    user: User
    password: str | None  # None when the user already existed (password unchanged)


@dataclass
class Phase:
    name: str
    rows: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class SeedReport:
    seed: int
    sizes: Sizes
    users: list[DemoUser]
    phases: dict[str, Phase] = field(default_factory=dict)
    seconds: float = 0.0

    def phase(self, name: str) -> Phase:
        return self.phases.setdefault(name, Phase(name))

    @contextmanager
    def timed(self, name: str, rows: int = 0) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            phase = self.phase(name)
            phase.seconds += time.perf_counter() - started
            phase.rows += rows


class SeedError(Exception):
    """The database cannot take this seed (no role data, sizes that cannot fit)."""


class PasswordRefused(SeedError):
    """The password given for the demo users fails the site's password validators."""


def seed_email_suffix(seed: int) -> str:
    return f"@seed{seed}.{EMAIL_DOMAIN}"


def seed_exists(*, seed: int) -> int:
    """How many candidates of this seed are already in the database (0: none)."""
    return Candidate.objects.filter(email__iendswith=seed_email_suffix(seed)).count()


def demo_users_ensure(*, password: str | None = None) -> list[DemoUser]:
    """One user per role; new users get ``password`` or a random one, existing ones keep theirs."""
    groups = {g.name: g for g in Group.objects.filter(name__in=access.ALL_GROUPS)}
    result = []
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        new_password = None
        if user is None:
            new_password = password or secrets.token_urlsafe(12)
            user = User(
                username=spec.username,
                email=f"{spec.username}@{EMAIL_DOMAIN}",
                first_name=spec.first_name,
                last_name=spec.last_name,
                is_staff=spec.group in (None, access.COMPENSATION_ADMINS),
                is_superuser=spec.group is None,
            )
            _validate_password(new_password, user)
            user.set_password(new_password)
            user.save()
        if spec.group and spec.group in groups:
            user.groups.add(groups[spec.group])
        result.append(DemoUser(spec, user, new_password))
    return result


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise PasswordRefused(
            f"The password for {user.username} is refused: {' '.join(exc.messages)}"
        ) from exc


def seed_company(
    *,
    sizes: Sizes,
    seed: int,
    password: str | None = None,
    batch_size: int = BATCH_SIZE,
    log: Callable[[str], None] | None = None,
) -> SeedReport:
    """Demo users, requisitions, candidates, applications with their moves, interviews.

    One transaction: a failure leaves nothing behind. Raises ``SeedError`` when
    the role data is missing or the applications cannot be unique pairs.
    """
    started = time.perf_counter()
    report = SeedReport(seed=seed, sizes=sizes, users=[])
    with transaction.atomic():
        with report.timed("users", rows=len(DEMO_USERS)):
            report.users = demo_users_ensure(password=password)
        _Generator(report, batch_size=batch_size, log=log).run()
    report.seconds = time.perf_counter() - started
    return report


# --- generation -------------------------------------------------------------------------

# fmt: off
FIRST_NAMES = (
    "Aaliyah", "Aarav", "Abebe", "Adaeze", "Ahmed", "Aiko", "Alejandro", "Amara", "Amelia", "Ana",
    "Andrei", "Anika", "Arjun", "Astrid", "Ava", "Beatriz", "Benjamin", "Bilal", "Camila", "Chen",
    "Chiara", "Chloe", "Daniel", "Dario", "Deepa", "Diego", "Dmitri", "Elena", "Elif", "Emeka",
    "Emma", "Ethan", "Fatima", "Felix", "Freya", "Gabriel", "Grace", "Hana", "Hannah", "Hiroshi",
    "Ibrahim", "Ines", "Isabella", "Ivan", "Jamal", "Javier", "Jia", "Jonas", "Julia", "Kai",
    "Kavya", "Kenji", "Kwame", "Laila", "Lars", "Leila", "Liam", "Lucas", "Lucia", "Maya",
    "Mateo", "Mei", "Mohammed", "Nadia", "Naveen", "Nia", "Noah", "Olivia", "Omar", "Oscar",
    "Priya", "Rafael", "Ravi", "Rin", "Rosa", "Sakura", "Samuel", "Sara", "Sebastian", "Sofia",
    "Tariq", "Thandiwe", "Tomas", "Uma", "Valentina", "Wei", "Yara", "Yusuf", "Zainab", "Zoe",
)
LAST_NAMES = (
    "Abdi", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bakshi", "Banerjee", "Becker", "Bianchi",
    "Brown", "Carter", "Castillo", "Chen", "Cohen", "Costa", "Da-Silva", "Dubois", "Eriksson",
    "Fernandez", "Fischer", "Garcia", "Gupta", "Haddad", "Hansen", "Hernandez", "Hoang",
    "Ibrahim", "Ito", "Iyer", "Jensen", "Johnson", "Kamau", "Kang", "Khan", "Kim", "Kowalski",
    "Kumar", "Larsen", "Lee", "Lopez", "Mahmoud", "Martin", "Mendes", "Mensah", "Moreno",
    "Muller", "Murphy", "Nakamura", "Nguyen", "Novak", "Nowak", "Obi", "Okafor", "Okonkwo",
    "Olsen", "Ortiz", "Park", "Patel", "Perez", "Petrov", "Popescu", "Quinn", "Rahman", "Ramirez",
    "Rao", "Reddy", "Rossi", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Smith", "Suzuki",
    "Tanaka", "Taylor", "Tran", "Wang", "Weber", "Williams", "Wong", "Yamamoto", "Yilmaz",
    "Zhang", "Zhou",
)
# fmt: on
FALLBACK_CITIES = ("Austin", "Boston", "Chicago", "Denver", "Seattle", "Atlanta", "Raleigh")
TEAMS = (
    "Search",
    "Recommendations",
    "Fraud detection",
    "LLM platform",
    "Forecasting",
    "Computer vision",
    "Speech",
    "Data platform",
    "Ads ranking",
    "Developer tools",
    "Support automation",
    "Document AI",
)
DEGREE_FIELDS = (
    "Computer science",
    "Statistics",
    "Mathematics",
    "Electrical engineering",
    "Physics",
    "Data science",
)
TAGS = ("python", "llm", "mlops", "strong-portfolio", "relocation", "visa")
ROUNDS = ("Technical interview", "ML system design", "Coding", "Hiring manager conversation")
LOCATIONS = ("Video call", "Room Ada, 3rd floor", "Room Turing, 2nd floor")
COMMENTS = (
    "Clear reasoning about trade-offs; solid deployment experience.",
    "Good fundamentals, thin on data pipelines.",
    "Strong communicator; would like more depth on evaluation.",
    "Hands-on with RAG and serving; owned a production model end to end.",
    "Struggled with the system design part.",
)

# Current stage of an application: a believable funnel (weights, not percentages).
STAGE_WEIGHTS = (
    (Stage.SOURCED, 14),
    (Stage.APPLIED, 24),
    (Stage.SCREEN, 14),
    (Stage.INTERVIEW, 12),
    (Stage.OFFER, 4),
    (Stage.HIRED, 3),
    (Stage.REJECTED, 24),
    (Stage.WITHDRAWN, 5),
)
# Where rejected and withdrawn applications were when they left.
LEFT_FROM_WEIGHTS = (
    (Stage.SOURCED, 2),
    (Stage.APPLIED, 5),
    (Stage.SCREEN, 4),
    (Stage.INTERVIEW, 3),
    (Stage.OFFER, 1),
)
INTERVIEW_INDEX = PIPELINE.index(Stage.INTERVIEW)
APPLICATION_WINDOW = datetime.timedelta(days=56)
FILLED_SHARE = 0.2
REQUISITION_STATUS_WEIGHTS = (
    (Requisition.Status.OPEN, 9),
    (Requisition.Status.ON_HOLD, 1),
)
SOURCE_WEIGHTS = (
    (Candidate.SourceChannel.LINKEDIN, 35),
    (Candidate.SourceChannel.CAREERS_SITE, 30),
    (Candidate.SourceChannel.REFERRAL, 15),
    (Candidate.SourceChannel.AGENCY, 10),
    (Candidate.SourceChannel.OTHER, 10),
)
DEGREE_WEIGHTS = (
    (Candidate.Degree.BACHELOR, 40),
    (Candidate.Degree.MASTER, 35),
    (Candidate.Degree.PHD, 15),
    (Candidate.Degree.NONE, 7),
    (Candidate.Degree.ASSOCIATE, 3),
)

# The status of the offer of an application still at the offer stage, in turn (hired ones:
# accepted). Open states come first so that a handful of offers already shows every state.
S = OfferStatus
OFFER_STATUS_CYCLE = (
    S.SENT,
    S.PENDING_APPROVAL,
    S.DECLINED,
    S.APPROVED,
    S.DRAFT,
    S.EXPIRED,
    S.RESCINDED,
    S.SENT,
    S.DECLINED,
    S.PENDING_APPROVAL,
)
#: Where a rescinded offer was when it was withdrawn.
RESCINDED_FROM = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SENT, S.SENT)
#: Share of approved offers above the adjusted band (justified, approved by compensation).
OUTSIDE_BAND_SHARE = 0.12
SIGN_ON_BONUSES = (0, 0, 0, 5_000, 10_000, 15_000, 20_000)
EQUITY_GRANTS = (0, 0, 10_000, 20_000, 40_000, 80_000)
THOUSAND = Decimal(1_000)
CENT = Decimal("0.01")
ONE_SECOND = datetime.timedelta(seconds=1)
Kind = OfferEvent.Kind
JUSTIFICATIONS = (
    "Competing offer well above the band; the team has no one else with this serving depth.",
    "Brings a production LLM evaluation practice we would otherwise build over a year.",
    "Relocating from a higher-paid market; matching the base was the condition to join.",
)
RESCIND_NOTES = (
    "Headcount moved to another team.",
    "Background check did not clear.",
    "The requisition was put on hold.",
)
# The step an offer's path ends with, by status (approvals and the sending come before).
FINAL_STEP = {
    S.ACCEPTED: OfferEvent.Kind.ACCEPTED,
    S.DECLINED: OfferEvent.Kind.DECLINED,
    S.RESCINDED: OfferEvent.Kind.RESCINDED,
    S.EXPIRED: OfferEvent.Kind.EXPIRED,
}
# How far an offer went before its last step, by the status it had then.
REACHED = {
    S.DRAFT: (),
    S.PENDING_APPROVAL: ("submitted",),
    S.APPROVED: ("submitted", "approved"),
    S.SENT: ("submitted", "approved", "sent"),
}


@dataclass
class _Catalogue:
    """Role data read once, in a fixed order so draws are reproducible."""

    tracks: list[Track]
    levels: list[Level]
    zones: list[Zone]
    home_zones: list[Zone]
    skills: list[Skill]
    certifications: list[Certification]
    reasons: dict[str, list[DispositionReason]]
    decline_reasons: list[DeclineReason]

    @classmethod
    def load(cls) -> _Catalogue:
        tracks = list(Track.objects.order_by("display_order", "slug"))
        levels = list(Level.objects.order_by("min_years", "code"))
        zones = list(Zone.objects.order_by("display_order", "slug"))
        if not (tracks and levels and zones):
            raise SeedError(
                "No role data (tracks, levels, zones) in this database: run "
                "`manage.py load_guide` first."
            )
        reasons: dict[str, list[DispositionReason]] = {}
        for stage in DISPOSITIONS:
            qs = DispositionReason.objects.filter(applies_to=stage, is_active=True)
            reasons[stage] = list(qs.order_by("display_order", "code"))
        return cls(
            tracks=tracks,
            levels=levels,
            zones=zones,
            home_zones=[z for z in zones if not z.is_remote] or zones,
            skills=list(Skill.objects.order_by("slug")),
            certifications=list(Certification.objects.order_by("slug")),
            reasons=reasons,
            decline_reasons=list(
                DeclineReason.objects.filter(is_active=True).order_by("display_order", "code")
            ),
        )


@dataclass
class _Plan:
    """One application before it is written: where it goes and how it got there."""

    application_id: int
    candidate_id: int
    requisition: Requisition
    moves: list[tuple[str, datetime.datetime]]
    reason: DispositionReason | None
    interview_at: datetime.datetime | None = None
    offer_status: str | None = None  # offer and hired stages: the status of its offer
    offer_id: int | None = None


class _Generator:
    def __init__(self, report: SeedReport, *, batch_size: int, log) -> None:
        self.report = report
        self.sizes = report.sizes
        self.rng = random.Random(report.seed)
        self.batch_size = max(1, batch_size)
        self.log = log
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        users = {u.spec.username: u.user for u in report.users}
        self.recruiter = users["demo-recruiter"]
        self.manager = users["demo-manager"]
        self.interviewer = users["demo-interviewer"]
        self.comp_admin = users["demo-comp"]
        self.offer_turn = 0
        self.writer = _Writer(batch_size=self.batch_size)

    def run(self) -> None:
        with self.report.timed("role data"):
            self.catalogue = _Catalogue.load()
            self.certification_slugs = {c.pk: c.slug for c in self.catalogue.certifications}
        timestamped = (Requisition, Candidate, Application, Interview, Scorecard, Offer)
        with _explicit_timestamps(*timestamped):
            self.requisitions = self._requisitions()
            self.open_requisitions = [
                r
                for r in self.requisitions
                if r.status in (Requisition.Status.OPEN, Requisition.Status.ON_HOLD)
            ]
            self._check_fit()
            with self.report.timed("offer inputs"):
                self.offer_inputs = self._offer_inputs()
            self.hires = dict.fromkeys((r.pk for r in self.requisitions), 0)
            self.hire_caps = self._hire_caps()
            counts = self._applications_per_candidate()
            for start in range(0, self.sizes.candidates, self.batch_size):
                end = min(start + self.batch_size, self.sizes.candidates)
                self._batch(start, end, counts)
                reset_queries()  # DEBUG keeps every query's SQL: keep memory flat
                if self.log:
                    self.log(f"  {end:,}/{self.sizes.candidates:,} candidates")
        with self.report.timed("filled requisitions"):
            self._mark_filled()

    # requisitions ----------------------------------------------------------------------

    def _requisitions(self) -> list[Requisition]:
        """Every track, level and zone with a band, in turn; unpriced tracks only as drafts.

        A quarter at most are drafts of tracks the guide gives no band for: they
        cannot be posted without a pay range.
        """
        rng, cat = self.rng, self.catalogue
        rows = []
        with self.report.timed("requisitions (generate)"):
            priced, unpriced_tracks = self._priced_combinations()
            drafts = unpriced_tracks[: self.sizes.requisitions // 4] if priced else unpriced_tracks
            for i in range(self.sizes.requisitions):
                if i < len(drafts) or not priced:
                    track = drafts[i % len(drafts)] if drafts else cat.tracks[i % len(cat.tracks)]
                    combo = (track, rng.choice(cat.levels), rng.choice(cat.zones), None)
                else:
                    combo = priced[(i - len(drafts)) % len(priced)]
                rows.append(self._requisition(i, *combo))
        with self.report.timed("requisitions", rows=len(rows)):
            return Requisition.objects.bulk_create(rows, batch_size=self.batch_size)

    def _priced_combinations(self) -> tuple[list[tuple], list[Track]]:
        cat, priced = self.catalogue, []
        for track in cat.tracks:
            for level in cat.levels:
                for zone in cat.zones:
                    band = priced_band(track=track, level=level, zone=zone, on=self.today)
                    if band is not None:
                        priced.append((track, level, zone, band))
        self.rng.shuffle(priced)
        priced_tracks = {combo[0].pk for combo in priced}
        return priced, [t for t in cat.tracks if t.pk not in priced_tracks]

    def _requisition(self, i, track, level, zone, band: PricedBand | None) -> Requisition:
        rng = self.rng
        status = Requisition.Status.DRAFT
        if band is not None:  # only a priced role can be posted
            status = _weighted(rng, REQUISITION_STATUS_WEIGHTS)
        opened_on = target_on = None
        created = self.now - datetime.timedelta(days=rng.randint(1, 30))
        if status != Requisition.Status.DRAFT:
            opened_on = self.today - datetime.timedelta(days=rng.randint(60, 150))
            target_on = opened_on + datetime.timedelta(days=90)
            created = _at_start_of(opened_on) + datetime.timedelta(hours=rng.randint(9, 17))
        if zone.is_remote:
            policy = Requisition.RemotePolicy.REMOTE
        else:
            policy = rng.choice((Requisition.RemotePolicy.ONSITE, Requisition.RemotePolicy.HYBRID))
        return Requisition(
            title=f"{track.name} ({level.code}), {TEAMS[i % len(TEAMS)]}",
            track=track,
            level=level,
            zone=zone,
            remote_policy=policy,
            headcount=rng.choice((1, 2, 2, 3, 4)),
            hiring_manager=self.manager,
            recruiter=self.recruiter,
            status=status,
            opened_on=opened_on,
            target_on=target_on,
            band=band.band if band else None,
            posted_min=band.adjusted.low if band else None,
            posted_max=band.adjusted.high if band else None,
            currency=band.band.currency if band else "USD",
            created_by=self.recruiter,
            created_at=created,
            updated_at=created,
        )

    def _hire_caps(self) -> dict[int, int]:
        """Some requisitions get filled (hires reach headcount); the rest stay one short."""
        return {
            r.pk: r.headcount if self.rng.random() < FILLED_SHARE else r.headcount - 1
            for r in self.requisitions
        }

    def _check_fit(self) -> None:
        sizes, open_count = self.sizes, len(self.open_requisitions)
        if sizes.applications and not open_count:
            raise SeedError(
                "No open requisition to apply to: no track, level and zone has a salary band. "
                "Load the guide (`manage.py load_guide`) or ask for --applications 0."
            )
        if sizes.applications and not sizes.candidates:
            raise SeedError("--applications needs at least one candidate.")
        per_candidate = -(-sizes.applications // max(sizes.candidates, 1))
        if per_candidate > open_count:
            raise SeedError(
                f"--applications {sizes.applications} cannot be unique (candidate, requisition) "
                f"pairs: {sizes.candidates} candidates by {open_count} open requisitions."
            )

    def _applications_per_candidate(self) -> list[int]:
        n, k = self.sizes.candidates, self.sizes.applications
        if not n:
            return []
        counts = [k // n] * n
        for index in self.rng.sample(range(n), k % n):
            counts[index] += 1
        return counts

    # one batch of candidates and everything hanging off them ---------------------------

    def _batch(self, start: int, end: int, counts: list[int]) -> None:
        report, writer = self.report, self.writer
        with report.timed("generate"):
            ids = writer.reserve_ids(Candidate, end - start)
            app_ids = iter(writer.reserve_ids(Application, sum(counts[start:end])))
            candidates, skills, certs, plans = [], [], [], []
            facts: dict[int, tuple] = {}  # what an offer's recommendation needs, per candidate
            for i, candidate_id in zip(range(start, end), ids, strict=True):
                candidate, skill_ids, cert_ids = self._candidate(i, candidate_id)
                candidates.append(candidate)
                facts[candidate_id] = (
                    candidate["years_experience"],
                    candidate["expected_base"],
                    [self.certification_slugs[c] for c in cert_ids],
                )
                skills.extend({"candidate_id": candidate_id, "skill_id": s} for s in skill_ids)
                certs.extend(
                    {"candidate_id": candidate_id, "certification_id": c} for c in cert_ids
                )
                for requisition in self.rng.sample(self.open_requisitions, counts[i]):
                    plans.append(self._plan(next(app_ids), candidate_id, requisition))
            offered = [p for p in plans if p.offer_status and p.requisition.pk in self.offer_inputs]
            for plan, offer_id in zip(
                offered, writer.reserve_ids(Offer, len(offered)), strict=True
            ):
                plan.offer_id = offer_id
        self._write(Candidate, candidates, "candidates")
        self._write(Candidate.skills.through, skills, "candidate skills")
        self._write(Candidate.certifications.through, certs, "candidate certs")
        self._write_applications(plans)
        self._write_interviews(plans)
        self._write_offers(plans, facts)

    def _write(self, model: type[models.Model], rows: list[dict], phase: str) -> None:
        with self.report.timed(phase, rows=len(rows)):
            self.writer.write(model, rows)

    def _candidate(self, i: int, pk: int) -> tuple[dict, list[int], list[int]]:
        rng, cat = self.rng, self.catalogue
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        full_name = f"{first} {last}"
        email = f"{first}.{last}.{i}{seed_email_suffix(self.report.seed)}".lower()
        zone = rng.choice(cat.home_zones)
        city = rng.choice(zone.city_list or FALLBACK_CITIES)
        years = Decimal(str(round(min(rng.gammavariate(2.0, 2.5), 30.0), 1)))
        skills = rng.sample(cat.skills, min(len(cat.skills), rng.randint(2, 6)))
        certs = rng.sample(
            cat.certifications, min(len(cat.certifications), rng.choice((0, 0, 1, 2)))
        )
        source = _weighted(rng, SOURCE_WEIGHTS)
        degree = _weighted(rng, DEGREE_WEIGHTS)
        expected = Decimal(int(95_000 + float(years) * 9_000 + rng.randint(-10, 25) * 1_000))
        created = self.now - APPLICATION_WINDOW - datetime.timedelta(hours=rng.randint(1, 24 * 60))
        slug = f"{first}-{last}-{i}".lower()
        row = {
            "id": pk,
            "full_name": full_name,
            "email": email,
            "phone": f"+1-555-{i // 10_000 % 1_000:03d}-{i % 10_000:04d}",
            "city": city,
            "zone_id": zone.pk,
            "open_to_remote": rng.random() < 0.6,
            "years_experience": years,
            "highest_degree": degree,
            "degree_field": "" if degree == Candidate.Degree.NONE else rng.choice(DEGREE_FIELDS),
            "github_url": f"https://github.com/{slug}" if rng.random() < 0.5 else "",
            "kaggle_url": f"https://www.kaggle.com/{slug}" if rng.random() < 0.1 else "",
            "source": source,
            "referrer": rng.choice(FIRST_NAMES) + " " + rng.choice(LAST_NAMES)
            if source == Candidate.SourceChannel.REFERRAL
            else "",
            "expected_base": expected if rng.random() < 0.7 else None,
            # Never asked where a salary-history ban applies.
            "current_base": None
            if zone.salary_history_ban or rng.random() < 0.5
            else expected - Decimal(rng.randint(5, 20) * 1_000),
            "consent_at": created.date(),
            "retain_until": created.date() + datetime.timedelta(days=730),
            "tags": rng.sample(TAGS, rng.choice((0, 0, 1, 2))),
            "notes": "",
            "created_by_id": self.recruiter.pk,
            "created_at": created,
            "updated_at": created,
        }
        # The same words the candidates app indexes when a person is saved through its service.
        row["search_document"] = build_search_document(SimpleNamespace(**row), skills, certs)
        return row, [s.pk for s in skills], [c.pk for c in certs]

    def _plan(self, pk: int, candidate_id: int, requisition: Requisition) -> _Plan:
        rng, reasons = self.rng, self.catalogue.reasons
        target = self._target_stage(requisition)
        if target == Stage.HIRED:
            self.hires[requisition.pk] += 1
        path = _path(rng, target)
        offer_status, until = None, self.now
        if target == Stage.HIRED:
            offer_status = OfferStatus.ACCEPTED
        elif target == Stage.OFFER:
            offer_status = self._next_offer_status()
            if offer_status == OfferStatus.EXPIRED:  # room for an expiry date in the past
                until = self.now - datetime.timedelta(days=rng.randint(3, 10))
        moves = _timeline(rng, path, until)
        reason = rng.choice(reasons[target]) if target in DISPOSITIONS else None
        interview_at = self._interview_time(moves)
        return _Plan(pk, candidate_id, requisition, moves, reason, interview_at, offer_status)

    def _next_offer_status(self) -> str:
        """The states in turn, so a small company already shows each one."""
        status = OFFER_STATUS_CYCLE[self.offer_turn % len(OFFER_STATUS_CYCLE)]
        self.offer_turn += 1
        if status == OfferStatus.DECLINED and not self.catalogue.decline_reasons:
            return OfferStatus.RESCINDED
        return status

    def _target_stage(self, requisition: Requisition) -> str:
        while True:
            target = _weighted(self.rng, STAGE_WEIGHTS)
            if target in DISPOSITIONS and not self.catalogue.reasons[target]:
                continue  # no reason in the catalogue: stay in an active stage
            if (
                target == Stage.HIRED
                and self.hires[requisition.pk] >= self.hire_caps[requisition.pk]
            ):
                continue
            return target

    def _interview_time(self, moves: list[tuple[str, datetime.datetime]]):
        """During the interview stage; for an application still there, often upcoming."""
        stages = [stage for stage, _ in moves]
        if Stage.INTERVIEW not in stages:
            return None
        index = stages.index(Stage.INTERVIEW)
        entered = moves[index][1]
        if index == len(moves) - 1:
            if self.rng.random() < 0.5:
                return self.now + datetime.timedelta(hours=self.rng.randint(20, 240))
            left = self.now
        else:
            left = moves[index + 1][1]
        return entered + (left - entered) * self.rng.uniform(0.2, 0.6)

    # writes ----------------------------------------------------------------------------

    def _write_applications(self, plans: list[_Plan]) -> None:
        with self.report.timed("generate"):
            recruiter_id = self.recruiter.pk
            applications = [
                {
                    "id": plan.application_id,
                    "candidate_id": plan.candidate_id,
                    "requisition_id": plan.requisition.pk,
                    "stage": plan.moves[-1][0],
                    "stage_entered_at": plan.moves[-1][1],
                    "disposition_reason_id": plan.reason.pk if plan.reason else None,
                    "created_by_id": recruiter_id,
                    "created_at": plan.moves[0][1],
                    "updated_at": plan.moves[-1][1],
                }
                for plan in plans
            ]
            changes = [change for plan in plans for change in self._stage_changes(plan)]
        self._write(Application, applications, "applications")
        self._write(StageChange, changes, "stage changes")

    def _stage_changes(self, plan: _Plan) -> Iterator[dict]:
        previous = ""
        for stage, at in plan.moves:
            final = stage in DISPOSITIONS
            yield {
                "application_id": plan.application_id,
                "from_stage": previous,
                "to_stage": stage,
                "actor_id": self.recruiter.pk,
                "at": at,
                "reason_id": plan.reason.pk if final and plan.reason else None,
                "note": f"Accepted offer #{plan.offer_id}."
                if stage == Stage.HIRED and plan.offer_id
                else "",
            }
            previous = stage

    def _write_interviews(self, plans: list[_Plan]) -> None:
        rng = self.rng
        with self.report.timed("generate"):
            scheduled = [p for p in plans if p.interview_at is not None]
            ids = self.writer.reserve_ids(Interview, len(scheduled))
            interviews, members, cards = [], [], []
            for plan, pk in zip(scheduled, ids, strict=True):
                panel = [self.interviewer.pk]
                if rng.random() < 0.4:
                    panel.append(self.manager.pk)
                interview = {
                    "id": pk,
                    "application_id": plan.application_id,
                    "round_name": rng.choice(ROUNDS),
                    "starts_at": plan.interview_at,
                    "duration_minutes": rng.choice((45, 60, 60, 90)),
                    "location": rng.choice(LOCATIONS),
                    "created_by_id": self.recruiter.pk,
                    "created_at": plan.moves[0][1],
                    "updated_at": plan.moves[0][1],
                }
                interviews.append(interview)
                members.extend({"interview_id": pk, "user_id": user_id} for user_id in panel)
                if plan.interview_at < self.now:
                    cards.extend(self._scorecard(interview, user_id, plan) for user_id in panel)
        self._write(Interview, interviews, "interviews")
        self._write(Interview.interviewers.through, members, "interviewers")
        self._write(Scorecard, cards, "scorecards")

    def _scorecard(self, interview: dict, user_id: int, plan: _Plan) -> dict:
        rng = self.rng
        went_on = plan.moves[-1][0] in (Stage.OFFER, Stage.HIRED)
        base = 3 if went_on else rng.choice((2, 2, 3))
        ratings = [max(1, min(4, base + rng.choice((-1, 0, 0, 1)))) for _ in COMPETENCIES]
        ends = interview["starts_at"] + datetime.timedelta(minutes=interview["duration_minutes"])
        return {
            "interview_id": interview["id"],
            "interviewer_id": user_id,
            **dict(zip(COMPETENCIES, ratings, strict=True)),
            "recommendation": _recommendation(sum(ratings) / len(ratings)),
            "comments": rng.choice(COMMENTS),
            "submitted_at": min(ends + datetime.timedelta(minutes=rng.randint(10, 600)), self.now),
        }

    # offers ----------------------------------------------------------------------------

    def _offer_inputs(self) -> dict[int, rec.Inputs]:
        """The recommendation's inputs per priced requisition, without the candidate's facts.

        Built as ``offers.selectors.recommend_for`` builds them, once per requisition, so
        each offer is one call of the pure ``recommend`` and no query.
        """
        ladder = [offer_selectors._level(level) for level in self.catalogue.levels]
        ladder.sort(key=lambda level: level.min_years)
        currency = Candidate._meta.get_field("pay_currency").get_default()
        expected_certs: dict[int, dict[str, str]] = {}
        references: dict[tuple[int, bool], list] = {}
        remote_zone = None
        templates = {}
        for req in self.open_requisitions:
            if req.band_id is None:
                continue
            track, level, zone = req.track, req.level, req.zone
            remote = req.remote_policy == Requisition.RemotePolicy.REMOTE or zone.is_remote
            remote_row = None
            if remote:
                if not zone.is_remote and remote_zone is None:
                    remote_zone = offer_selectors.remote_zone()
                remote_row = zone if zone.is_remote else remote_zone
            if level.pk not in expected_certs:
                expected_certs[level.pk] = dict(
                    level.expected_certifications.order_by("slug").values_list("slug", "name")
                )
            if (level.pk, remote) not in references:
                references[level.pk, remote] = offer_selectors.market_references(
                    level=level, remote=remote
                )
            certs = expected_certs[level.pk]
            templates[req.pk] = rec.Inputs(
                track=track.slug,
                level=offer_selectors._level(level),
                zone=zone.slug,
                remote=remote,
                band=offer_selectors._band(req.band),
                track_premium=offer_selectors._premium("track", track, track.premium_source),
                zone_premium=offer_selectors._premium("zone", zone, zone.source),
                remote_zone=remote_row.slug if remote_row else "remote",
                remote_zone_premium=offer_selectors._premium("zone", remote_row, remote_row.source)
                if remote_row
                else None,
                years=Decimal(0),
                ladder=ladder,
                expected_certifications=list(certs),
                certification_names=certs,
                expected_base_currency=currency,
                as_of=self.today,
                market_references=references[level.pk, remote],
            )
        return templates

    def _write_offers(self, plans: list[_Plan], facts: dict[int, tuple]) -> None:
        with self.report.timed("generate"):
            offers, approvals, events = [], [], []
            for plan in plans:
                if plan.offer_id is not None:
                    row = self._offer(plan, facts[plan.candidate_id], approvals, events)
                    offers.append(row)
        self._write(Offer, offers, "offers")
        self._write(OfferApproval, approvals, "offer approvals")
        self._write(OfferEvent, events, "offer events")

    def _offer(self, plan: _Plan, facts: tuple, approvals: list[dict], events: list[dict]) -> dict:
        """One offer row; its approvals and events are appended to the lists given."""
        rng, status, pk = self.rng, plan.offer_status, plan.offer_id
        years, expected_base, certifications = facts
        inputs = replace(
            self.offer_inputs[plan.requisition.pk],
            years=years,
            certifications=certifications,
            expected_base=expected_base,
        )
        result = rec.recommend(inputs)
        # The path: created, then how far it got, then its last step (if final).
        was = RESCINDED_FROM[rng.randrange(len(RESCINDED_FROM))]
        if status == S.EXPIRED:
            was = rng.choice((S.APPROVED, S.SENT, S.SENT))
        elif status in (S.ACCEPTED, S.DECLINED):
            was = S.SENT
        elif status != S.RESCINDED:
            was = status
        reached = REACHED[was]
        base, justification = result.recommended_base, ""
        outside = "approved" in reached and rng.random() < OUTSIDE_BAND_SHARE
        if outside:
            base = result.adjusted.high + THOUSAND * rng.randint(2, 12)
            justification = rng.choice(JUSTIFICATIONS)
        roles = [OfferApproval.Role.HIRING_MANAGER]
        if outside:
            roles.append(OfferApproval.Role.COMPENSATION_ADMIN)
        approvers = {
            OfferApproval.Role.HIRING_MANAGER: plan.requisition.hiring_manager_id,
            OfferApproval.Role.COMPENSATION_ADMIN: self.comp_admin.pk,
        }
        recruiter_id = self.recruiter.pk
        row = {
            "id": pk,
            "application_id": plan.application_id,
            "status": status,
            "base_salary": base.quantize(CENT),
            "sign_on_bonus": Decimal(rng.choice(SIGN_ON_BONUSES)).quantize(CENT),
            "equity": Decimal(rng.choice(EQUITY_GRANTS)).quantize(CENT),
            "currency": result.band.currency,
            "start_date": None,
            "expires_on": None,
            "band_id": plan.requisition.band_id,
            "adjusted_min": result.adjusted.low.quantize(CENT),
            "adjusted_max": result.adjusted.high.quantize(CENT),
            "recommendation": result.as_dict(),
            "justification": justification,
            "decline_reason_id": None,
            "round": 1,
            "sent_at": None,
            "decided_at": None,
            "created_by_id": recruiter_id,
            "created_at": None,
            "updated_at": None,
        }
        # Steps as (kind, actor, note, data); times come after, all in the offer-stage window.
        steps: list[tuple[str, int | None, str, dict]] = [
            (Kind.CREATED, recruiter_id, "", _offer_snapshot(row))
        ]
        if "submitted" in reached:
            steps.append((Kind.SUBMITTED, recruiter_id, "", {"round": 1, "required": roles}))
        if "approved" in reached:
            for index, role in enumerate(roles):
                after = S.APPROVED if index == len(roles) - 1 else S.PENDING_APPROVAL
                data = {"role": role, "round": 1, "status": after}
                steps.append((Kind.APPROVED, approvers[role], "", data))
        if "sent" in reached:
            steps.append((Kind.SENT, recruiter_id, "", {}))
        final = FINAL_STEP.get(status)
        if final == Kind.ACCEPTED:
            steps.append((final, recruiter_id, "", {}))
        elif final == Kind.DECLINED:
            reason = rng.choice(self.catalogue.decline_reasons)
            row["decline_reason_id"] = reason.pk
            steps.append((final, recruiter_id, "", {"reason": reason.code}))
        elif final == Kind.RESCINDED:
            steps.append((final, recruiter_id, rng.choice(RESCIND_NOTES), {}))

        stages = [stage for stage, _ in plan.moves]
        entered_offer = plan.moves[stages.index(Stage.OFFER)][1]
        if status == S.ACCEPTED:  # accepting hires: a second before the move to hired
            window_end = plan.moves[stages.index(Stage.OFFER) + 1][1] - ONE_SECOND
        elif status == S.EXPIRED:  # everything but the expiry happened before yesterday
            window_end = _local_midnight(self.today - datetime.timedelta(days=1))
        else:
            window_end = self.now
        if status == S.ACCEPTED:
            times = [*_spread(rng, entered_offer, window_end, len(steps) - 1), window_end]
        else:
            times = _spread(rng, entered_offer, window_end, len(steps))
        created_on = timezone.localdate(times[0])
        if status == S.EXPIRED:
            latest = self.today - datetime.timedelta(days=1)
            expires_on = min(
                timezone.localdate(times[-1]) + datetime.timedelta(days=rng.randint(3, 10)), latest
            )
            expired_at = min(
                _local_midnight(expires_on + datetime.timedelta(days=1))
                + datetime.timedelta(seconds=rng.randint(60, 3_600)),
                self.now,
            )
            data = {"from": was, "expires_on": expires_on.isoformat()}
            steps.append((Kind.EXPIRED, None, "", data))
            times.append(expired_at)
        elif final is None:  # still open: not expired yet
            expires_on = self.today + datetime.timedelta(days=rng.randint(3, 14))
        else:
            expires_on = max(
                created_on + datetime.timedelta(days=rng.randint(7, 14)),
                timezone.localdate(times[-1]),
            )
        row["expires_on"] = expires_on
        row["start_date"] = expires_on + datetime.timedelta(days=rng.randint(14, 45))
        row["created_at"], row["updated_at"] = times[0], times[-1]
        for (kind, actor_id, note, data), at in zip(steps, times, strict=True):
            events.append(
                {
                    "offer_id": pk,
                    "kind": kind,
                    "actor_id": actor_id,
                    "at": at,
                    "note": note,
                    "data": data,
                }
            )
            if kind == Kind.APPROVED:
                approvals.append(
                    {
                        "offer_id": pk,
                        "round": 1,
                        "role": data["role"],
                        "approver_id": actor_id,
                        "decision": OfferApproval.Decision.APPROVED,
                        "note": "",
                        "decided_at": at,
                    }
                )
            elif kind == Kind.SENT:
                row["sent_at"] = at
        if final is not None:
            row["decided_at"] = times[-1]
        return row

    def _mark_filled(self) -> None:
        full = [r.pk for r in self.requisitions if self.hires[r.pk] >= r.headcount]
        Requisition.objects.filter(pk__in=full).update(status=Requisition.Status.FILLED)
        self.report.phase("filled requisitions").rows += len(full)


def _path(rng: random.Random, target: str) -> list[str]:
    """Stages an application went through to reach ``target``, by the pipeline's rules."""
    if target in DISPOSITIONS:
        return [*_forward_path(rng, _weighted(rng, LEFT_FROM_WEIGHTS)), target]
    return _forward_path(rng, target)


def _forward_path(rng: random.Random, target: str) -> list[str]:
    end = PIPELINE.index(target)
    entry = Stage.SOURCED if end == 0 or rng.random() < 0.4 else Stage.APPLIED
    start = PIPELINE.index(entry)
    if start == end:
        return [entry]
    middle = []
    for index in range(start + 1, end):
        stage = PIPELINE[index]
        # Offers follow an interview, and hired comes only from offer; the rest may be skipped.
        required = (stage == Stage.INTERVIEW and end > INTERVIEW_INDEX) or (
            stage == Stage.OFFER and target == Stage.HIRED
        )
        if required or rng.random() < 0.3:
            middle.append(stage)
    return [entry, *middle, target]


def _timeline(
    rng: random.Random, path: list[str], now: datetime.datetime
) -> list[tuple[str, datetime.datetime]]:
    """Increasing timestamps over the past weeks, the last one before now."""
    start = now - datetime.timedelta(
        seconds=rng.randint(3_600, int(APPLICATION_WINDOW.total_seconds()))
    )
    span = (now - start).total_seconds() * rng.uniform(0.4, 0.95)
    weights = [rng.uniform(0.5, 1.5) for _ in path[1:]]
    total = sum(weights) or 1.0
    moves, at = [(path[0], start)], start
    for stage, weight in zip(path[1:], weights, strict=True):
        at += datetime.timedelta(seconds=max(60, int(span * weight / total)))
        moves.append((stage, at))
    return moves


def _spread(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime, count: int
) -> list[datetime.datetime]:
    """``count`` increasing times after ``start``, before ``end`` (whole seconds)."""
    span = max((end - start).total_seconds(), float(count + 1))
    weights = [rng.uniform(0.5, 1.5) for _ in range(count + 1)]  # the last: after the last step
    total, elapsed, times, previous = sum(weights), 0.0, [], 0
    for weight in weights[:count]:
        elapsed += weight
        offset = max(previous + 1, int(span * elapsed / total))
        times.append(start + datetime.timedelta(seconds=offset))
        previous = offset
    return times


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _offer_snapshot(row: dict) -> dict:
    """What ``offers.services`` records when an offer is created."""
    return {
        "base_salary": str(row["base_salary"]),
        "sign_on_bonus": str(row["sign_on_bonus"]),
        "equity": str(row["equity"]),
        "currency": row["currency"],
        "band": row["band_id"],
        "adjusted_band": [str(row["adjusted_min"]), str(row["adjusted_max"])],
        "recommended_base": row["recommendation"].get("recommended_base"),
    }


def _recommendation(mean: float) -> str:
    if mean >= 3.5:
        return Scorecard.Recommendation.STRONG_YES
    if mean >= 2.75:
        return Scorecard.Recommendation.YES
    if mean >= 2:
        return Scorecard.Recommendation.NO
    return Scorecard.Recommendation.STRONG_NO


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at_start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


@contextmanager
def _explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts keep the past dates we give them.

    ``bulk_create`` runs ``pre_save``, which stamps ``auto_now``/``auto_now_add``
    fields with the current time; demo rows need believable past dates, and a
    second UPDATE of every row would double the cost at volume. Only this
    process's field objects change, and they are restored on exit.
    """
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Writer:
    """Rows of plain values into a table: COPY on PostgreSQL, ``bulk_create`` elsewhere.

    COPY skips building a model instance and an INSERT per batch, which is most
    of the cost at 300,000 applications. Primary keys are reserved up front so
    rows can point at each other before they are written.
    """

    def __init__(self, *, batch_size: int) -> None:
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"
        self.next_ids: dict[type[models.Model], int] = {}

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        if not count:
            return []
        table, pk = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if model not in self.next_ids:  # one writer at a time on SQLite
                cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
                self.next_ids[model] = (cursor.fetchone()[0] or 0) + 1
        first = self.next_ids[model]
        self.next_ids[model] = first + count
        return list(range(first, first + count))

    def write(self, model: type[models.Model], rows: list[dict]) -> None:
        if not rows:
            return
        if self.postgres:
            self._copy(model, rows)
        else:
            objects = [model(**row) for row in rows]
            model.objects.bulk_create(objects, batch_size=self.batch_size)

    def _copy(self, model: type[models.Model], rows: list[dict]) -> None:
        given = rows[0].keys()
        fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
        # Columns this generator does not fill get the model's default, as save() would.
        defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        names = [f.attname for f in fields]
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                values = {**defaults, **row}
                for name in json_fields:
                    values[name] = json.dumps(values[name])
                copy.write_row([values[name] for name in names])
