"""Change history for the models that keep one: django-simple-history's, with the rows of a
many-to-many field written from one narrow read.

For each many-to-many field the library, on every saved object, rebuilds the object from its
history row (an extra read when fields are kept out of history, as the candidate's search
document is) only to find the field's through model, then reads the through rows joined to
both ends, whole rows included. The history rows need the through rows' ids and nothing else:
here the through model comes from the field itself and one read fetches those ids. Same rows,
same signals; a candidate's save costs two reads fewer per many-to-many field.
"""

from __future__ import annotations

from simple_history import models as simple_history
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)
from simple_history.utils import get_m2m_field_name


class HistoricalRecords(simple_history.HistoricalRecords):
    def create_historical_record_m2ms(self, history_instance, instance) -> None:
        for field in history_instance._history_m2m_fields:
            history_model = self.m2m_models[field]
            through = field.remote_field.through
            columns = [column.attname for column in through._meta.concrete_fields]
            links = through.objects.filter(**{get_m2m_field_name(field): instance})
            rows = [
                history_model(history=history_instance, **link) for link in links.values(*columns)
            ]
            signal = {
                "sender": history_model,
                "history_instance": history_instance,
                "instance": instance,
                "field": field,
            }
            pre_create_historical_m2m_records.send(rows=rows, **signal)
            created = history_model.objects.bulk_create(rows)
            post_create_historical_m2m_records.send(created_rows=created, **signal)
