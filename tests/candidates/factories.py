from decimal import Decimal

import factory

from candidates import models
from candidates.services import search_words


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Candidate

    full_name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    years_experience = Decimal("3.0")
    city = "Austin"
    search_document = factory.LazyAttribute(
        lambda o: " ".join(search_words(f"{o.full_name} {o.email} {o.city}"))
    )
