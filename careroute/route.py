"""The 1-zorgroute's transition table and the one way to move a pupil along it.

Read it as the route table in domain.md ("entered when"). Every move locks the pupil's route
row (made with the first move; unique per pupil), checks the table and the move's guard, and
writes an append-only RouteEvent with the evidence as it was. Evidence counts only when it is
newer than the pupil's latest entry into the level below the move's target (for a move up),
so a pupil who went back down climbs again on fresh evidence.

INTERFACE (used by the rest of careroute; filled in by the route slice):
- `current_level(pupil) -> int`: 1 without a route row.
- `MOVES`: {name: Move(name, label, from_levels, to_level | None for a side step, roles)}.
- `check(pupil, move_name, *, actor_user, today=None) -> list[str]`: what is missing (in the
  person's language); [] when the move is allowed now.
- `move(*, pupil, move_name, by, reason="", today=None) -> RouteEvent`: raises
  `MoveRefused(missing)` when `check` finds anything missing.

Moves: "register_pupil_meeting" (1 -> 2), "start_ihp" (2 -> 3), "to_care_team" (3 -> 4,
opens the CareTeamCase), "goal_reached" (2/3/4 -> 1), "case_closed" (4 -> 1), "other_down"
(any -> lower, reason required), side steps without a level change: "hgd" (from 2, with
consent for the HGD request), "zat" (from 4, with consent). Level 5 (referral) is in the
table but has no move into it yet (a later issue: care-team discussion, an OPP, consent to
the referral).
"""
