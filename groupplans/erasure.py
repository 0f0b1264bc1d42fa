"""What the retention purge (`pupils.retention`) erases of group plans besides the rows that
refer to the pupil: an individual subgroup holds goals and an evaluation written about its one
pupil, so it goes with that pupil's placement. A subgroup that ever held another pupil stays
(its text is about them too)."""

from collections.abc import Mapping

from django.db import models

from groupplans.models import Placement, Subgroup, SubgroupKind


def individual_offers(
    erased: Mapping[type[models.Model], set[int]],
) -> list[tuple[type[models.Model], set[int]]]:
    """The individual subgroups whose every placement, live or in the revisions, is erased."""
    placement_ids = erased.get(Placement, set())
    if not placement_ids:
        return []
    used = set(
        Placement.objects.filter(pk__in=placement_ids).values_list("subgroup_id", flat=True)
    ) | set(Placement.history.filter(id__in=placement_ids).values_list("subgroup_id", flat=True))
    individual = set(
        Subgroup.objects.filter(pk__in=used, kind=SubgroupKind.INDIVIDUAL).values_list(
            "pk", flat=True
        )
    ) | set(
        # Deleted earlier: only the revisions are left, and they may hold text.
        Subgroup.history.filter(id__in=used, kind=SubgroupKind.INDIVIDUAL).values_list(
            "id", flat=True
        )
    )
    shared = set(
        Placement.objects.filter(subgroup_id__in=individual)
        .exclude(pk__in=placement_ids)
        .values_list("subgroup_id", flat=True)
    ) | set(
        Placement.history.filter(subgroup_id__in=individual)
        .exclude(id__in=placement_ids)
        .values_list("subgroup_id", flat=True)
    )
    owned = individual - shared
    return [(Subgroup, owned)] if owned else []
