"""The coalition builder: a lead nation chooses partners by what they bring and what they cost.

**An illustrative model, not data.** The partner cards below (``DEFAULT_CARDS``) and the mission
(``DEFAULT_MISSION``) are *hypothetical archetypes* written for teaching: "a neighbouring host state", "a medium ally
with national caveats", never real countries, and their numbers are made-up points on a 0–5 scale. Every card and
mission carries ``illustrative=True`` and the notebook says so wherever they appear. The historical cases of
lesson 03 come from the course tables (``coalitions``, ``coalition_lists``, ``coalition_sizes``), not from here.

What the model encodes is the argument of the course's backbone article (Rutar 2019, §2.2) and of seed 000:

- a coalition is built by **one lead nation** that invites partners; each partner has a tie to the lead nation
  only, so the result is a **hub and spoke** (``graph``), and a partner that leaves cuts only its own tie;
- junior partners bring **forces** (often a niche capability), **access** (bases, airspace, geography) or
  **legitimacy** (political backing); a partner's **national caveats** make part of its forces unusable
  (``usable_share``), and its **political conditions** are concessions the lead nation must make;
- **speed versus legitimacy** (seed 000): the coalition can start only when the slowest partner has taken its
  national decision; seeking a **UN Security Council mandate** first adds legitimacy and brings in the partners
  that insist on one, but it costs time (``Mission.mandate_days``).

Everything here is pure Python; :mod:`alliance_course.sims.coalition_builder_view` holds the widget and
``draw_assessment``, the matplotlib picture.

Example::

    >>> plan = assess(DEFAULT_MISSION, DEFAULT_CARDS, ["close-ally", "host-state"], un_mandate=False)
    >>> plan.start_day, sorted(plan.gaps)
    (10, ['legitimacy'])
    >>> without_mandate = [c.card_id for c in DEFAULT_CARDS if not c.needs_un_mandate]
    >>> invited = assess(DEFAULT_MISSION, DEFAULT_CARDS, without_mandate, basis="host_consent")
    >>> invited.totals["legitimacy"], invited.gaps.get("legitimacy")
    (10.0, None)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from alliance_course._common import forward_to_view
from alliance_course.sims.networks import Graph, from_pairs

__all__ = [
    "DIMENSIONS", "DIMENSION_LABELS", "ILLUSTRATIVE_NOTE", "PartnerCard", "Mission", "Assessment",
    "DEFAULT_CARDS", "DEFAULT_MISSION", "card_by_id", "assess", "graph", "departure", "LEGAL_BASES",
    "LEGAL_BASIS_LABELS", "CONSENT_CARD",
]

LEGAL_BASES: tuple[str, ...] = ("un_mandate", "host_consent", "self_defence", "none")
LEGAL_BASIS_LABELS: Mapping[str, str] = MappingProxyType({
    "un_mandate": "a UN Security Council mandate",
    "host_consent": "the consent (invitation) of the host government",
    "self_defence": "collective self-defence (UN Charter, Article 51)",
    "none": "no stated legal basis",
})

DIMENSIONS: tuple[str, ...] = ("forces", "access", "legitimacy")
DIMENSION_LABELS: Mapping[str, str] = MappingProxyType({
    "forces": "Usable forces",
    "access": "Access (bases, airspace)",
    "legitimacy": "Legitimacy (backing)",
})
ILLUSTRATIVE_NOTE = ("Illustrative model: the partner cards and the mission are hypothetical archetypes written "
                     "for teaching, not real countries or data.")
MAX_POINTS = 5


def _points(values: Mapping[str, float], where: str, *, maximum: float | None = MAX_POINTS) -> dict[str, float]:
    """Check a {dimension: points} mapping and fill missing dimensions with 0."""
    unknown = sorted(set(values) - set(DIMENSIONS))
    if unknown:
        raise ValueError(f"{where}: unknown dimension(s) {unknown}; use {', '.join(DIMENSIONS)}")
    out: dict[str, float] = {}
    for dim in DIMENSIONS:
        value = values.get(dim, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{where}: {dim} must be a number of points, got {value!r}")
        if value < 0 or (maximum is not None and value > maximum):
            limit = f"0 to {maximum:g}" if maximum is not None else "0 or more"
            raise ValueError(f"{where}: {dim} must be {limit} points, got {value!r}")
        out[dim] = float(value)
    return out


@dataclass(frozen=True)
class PartnerCard:
    """One possible partner: what it brings (0–5 points per dimension) and what it costs.

    ``usable_share`` is the share of its forces the lead nation can use after its national caveats (1.0 = no
    caveats); ``caveats`` and ``conditions`` say in words what limits it and what it asks in return;
    ``needs_un_mandate`` makes it decline unless the coalition has a UN Security Council mandate;
    ``days_to_commit`` is how long its national decision takes (a cabinet decision, a vote in parliament).
    ``grants_consent``: the card is the government of the state in crisis and can invite the force (legal basis
    ``"host_consent"``); ``accepts_self_defence=False`` makes it decline when the only legal basis is self-defence.
    """

    card_id: str
    name: str
    short: str
    brings: Mapping[str, float]
    days_to_commit: int
    usable_share: float = 1.0
    caveats: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    needs_un_mandate: bool = False
    motive: str = ""
    illustrative: bool = True
    grants_consent: bool = False
    accepts_self_defence: bool = True

    def __post_init__(self) -> None:
        where = f"partner card {self.card_id!r}"
        if not self.card_id or not self.card_id.replace("-", "").isalnum():
            raise ValueError(f"partner card id must be letters, digits and hyphens, got {self.card_id!r}")
        if not self.name.strip() or not self.short.strip():
            raise ValueError(f"{where}: name and short label must not be empty")
        object.__setattr__(self, "brings", MappingProxyType(_points(self.brings, where)))
        if isinstance(self.days_to_commit, bool) or not isinstance(self.days_to_commit, int) \
                or self.days_to_commit < 0:
            raise ValueError(f"{where}: days_to_commit must be a whole number of days ≥ 0, "
                             f"got {self.days_to_commit!r}")
        if not 0 <= self.usable_share <= 1:
            raise ValueError(f"{where}: usable_share must lie between 0 and 1, got {self.usable_share!r}")
        object.__setattr__(self, "caveats", tuple(self.caveats))
        object.__setattr__(self, "conditions", tuple(self.conditions))

    @property
    def usable(self) -> dict[str, float]:
        """What the card brings once its caveats are applied (caveats limit forces only)."""
        return {dim: self.brings[dim] * (self.usable_share if dim == "forces" else 1.0) for dim in DIMENSIONS}


@dataclass(frozen=True)
class Mission:
    """What the lead nation needs (points per dimension), what it brings itself, and what each legal basis costs
    and brings: a UN mandate (``mandate_days``, ``mandate_legitimacy``), host consent (``consent_days`` when no
    consenting card has joined, ``consent_legitimacy``) and self-defence (``self_defence_legitimacy``, no delay).
    The points are illustrative assumptions: change them with ``dataclasses.replace``."""

    name: str
    lead: str
    needs: Mapping[str, float]
    lead_brings: Mapping[str, float]
    lead_days: int
    mandate_days: int
    mandate_legitimacy: float
    illustrative: bool = True
    consent_days: int = 10
    consent_legitimacy: float = 3
    self_defence_legitimacy: float = 2

    def basis_legitimacy(self, basis: str) -> float:
        """The legitimacy points a legal basis adds (0 for ``"none"``)."""
        _check_basis(basis)
        return {"un_mandate": self.mandate_legitimacy, "host_consent": self.consent_legitimacy,
                "self_defence": self.self_defence_legitimacy, "none": 0.0}[basis]

    def __post_init__(self) -> None:
        where = f"mission {self.name!r}"
        if not self.lead.strip():
            raise ValueError(f"{where}: the lead nation needs a name")
        object.__setattr__(self, "needs", MappingProxyType(_points(self.needs, where, maximum=None)))
        object.__setattr__(self, "lead_brings", MappingProxyType(_points(self.lead_brings, where, maximum=None)))
        for name in ("lead_days", "mandate_days", "consent_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{where}: {name} must be a whole number of days ≥ 0, got {value!r}")
        for name in ("mandate_legitimacy", "consent_legitimacy", "self_defence_legitimacy"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{where}: {name} must be ≥ 0, got {value!r}")


def _check_basis(basis: object) -> None:
    if basis not in LEGAL_BASES:
        raise ValueError(f"legal basis {basis!r} is not one of {', '.join(LEGAL_BASES)}")


@dataclass(frozen=True)
class Assessment:
    """The coalition that results from a choice of partners (see :func:`assess`)."""

    mission: Mission
    un_mandate: bool
    joined: tuple[PartnerCard, ...]
    declined: tuple[tuple[PartnerCard, str], ...]
    totals: Mapping[str, float]
    gaps: Mapping[str, float]
    start_day: int
    slowest: str
    caveats: tuple[tuple[str, str], ...] = field(default=())
    conditions: tuple[tuple[str, str], ...] = field(default=())
    basis: str = "none"

    @property
    def ready(self) -> bool:
        """True when every need is covered."""
        return not self.gaps

    @property
    def unusable_forces(self) -> float:
        """Force points the joined partners bring but cannot be used because of their caveats."""
        return sum(card.brings["forces"] - card.usable["forces"] for card in self.joined)

    def summary(self) -> list[str]:
        """The result in plain sentences (the widget shows them; a test reads them)."""
        lines = []
        n = len(self.joined)
        if self.basis in ("un_mandate", "none"):
            mandate = "with a UN Security Council mandate" if self.un_mandate else "without a UN mandate"
        else:
            mandate = f"without a UN mandate, on {LEGAL_BASIS_LABELS[self.basis]}"
        lines.append(f"{self.mission.lead} leads {n} partner{'s' if n != 1 else ''} {mandate}; "
                     f"the coalition can start on day {self.start_day} (waiting for: {self.slowest}).")
        if self.gaps:
            missing = "; ".join(f"{DIMENSION_LABELS[d].lower()} short by {v:g}" for d, v in self.gaps.items())
            lines.append(f"Gaps: {missing}.")
        else:
            lines.append("No gaps: every need of the mission is covered.")
        for card, reason in self.declined:
            lines.append(f"Declined: {card.short} ({reason}).")
        if self.caveats:
            lines.append(f"Caveats cost {self.unusable_forces:g} force point(s): "
                         + "; ".join(f"{who}: {what}" for who, what in self.caveats) + ".")
        if self.conditions:
            lines.append("Concessions asked of the lead nation: "
                         + "; ".join(f"{who}: {what}" for who, what in self.conditions) + ".")
        return lines


def card_by_id(cards: Iterable[PartnerCard], card_id: str) -> PartnerCard:
    """The card with this id, or a KeyError that lists the valid ids."""
    pool = list(cards)
    for card in pool:
        if card.card_id == card_id:
            return card
    raise KeyError(f"no partner card {card_id!r}; the cards are {', '.join(c.card_id for c in pool)}")


def assess(mission: Mission, cards: Sequence[PartnerCard], chosen: Iterable[str], *,
           un_mandate: bool = False, basis: str | None = None) -> Assessment:
    """Build the coalition: the chosen cards join unless a condition stops them; add up what they bring.

    ``basis`` is the legal basis (:data:`LEGAL_BASES`); by default ``"un_mandate"`` when ``un_mandate`` is True,
    else ``"none"``. A card that needs a UN mandate declines under any other basis; under ``"self_defence"`` a card
    with ``accepts_self_defence=False`` declines too. Totals are the lead nation's own points plus every joined
    card's usable points plus the basis's points (:meth:`Mission.basis_legitimacy`); a gap is a need the totals do
    not reach. The start day is the latest of the lead nation's own preparation, the basis's delay (the mandate's
    negotiation; for host consent the consenting card's decision, else ``mission.consent_days``) and each joined
    partner's national decision.
    """
    if basis is None:
        basis = "un_mandate" if un_mandate else "none"
    _check_basis(basis)
    if un_mandate and basis != "un_mandate":
        raise ValueError(f"coalition builder: un_mandate=True but basis={basis!r}; give one or the other")
    un_mandate = basis == "un_mandate"
    ids = list(dict.fromkeys(chosen))
    known = {card.card_id for card in cards}
    if len(known) != len(cards):
        raise ValueError("coalition builder: two partner cards share an id")
    selected = [card_by_id(cards, card_id) for card_id in ids]
    joined: list[PartnerCard] = []
    declined: list[tuple[PartnerCard, str]] = []
    for card in selected:
        if card.needs_un_mandate and not un_mandate:
            declined.append((card, "it joins only with a UN Security Council mandate"))
        elif basis == "self_defence" and not card.accepts_self_defence:
            declined.append((card, "it does not accept self-defence as the legal basis"))
        else:
            joined.append(card)

    totals = dict(mission.lead_brings)
    for card in joined:
        for dim, value in card.usable.items():
            totals[dim] += value
    totals["legitimacy"] += mission.basis_legitimacy(basis)
    gaps = {dim: round(mission.needs[dim] - totals[dim], 2) for dim in DIMENSIONS
            if mission.needs[dim] - totals[dim] > 1e-9}

    waits = [(mission.lead_days, f"{mission.lead}'s own preparation")]
    if un_mandate:
        waits.append((mission.mandate_days, "the UN Security Council mandate"))
    elif basis == "host_consent":
        consenting = [card for card in joined if card.grants_consent]
        if consenting:
            waits.append((min(card.days_to_commit for card in consenting), f"{consenting[0].short}'s invitation"))
        else:
            waits.append((mission.consent_days, "the host government's invitation"))
    waits += [(card.days_to_commit, f"{card.short}'s national decision") for card in joined]
    start_day, slowest = max(waits, key=lambda wait: wait[0])

    return Assessment(
        mission=mission, un_mandate=un_mandate, joined=tuple(joined), declined=tuple(declined),
        totals=MappingProxyType({dim: round(value, 2) for dim, value in totals.items()}),
        gaps=MappingProxyType(gaps), start_day=start_day, slowest=slowest,
        caveats=tuple((card.short, caveat) for card in joined for caveat in card.caveats),
        conditions=tuple((card.short, condition) for card in joined for condition in card.conditions),
        basis=basis,
    )


def graph(plan: Assessment) -> Graph:
    """The coalition as a network: the lead nation tied to each partner that joined (hub and spoke).

    Partners that declined are kept as nodes without ties, so the picture shows who is missing.
    """
    lead = plan.mission.lead
    return from_pairs([(lead, card.short) for card in plan.joined],
                      nodes=[lead, *(card.short for card in plan.joined), *(card.short for card, _ in plan.declined)])


def departure(plan: Assessment, cards: Sequence[PartnerCard], card_id: str) -> Assessment:
    """The coalition after one partner leaves (the others' ties to the lead nation are untouched)."""
    leaving = card_by_id(cards, card_id)
    remaining = [card.card_id for card in plan.joined if card.card_id != leaving.card_id]
    remaining += [card.card_id for card, _ in plan.declined]
    return assess(plan.mission, cards, remaining, basis=plan.basis)


# --------------------------------------------------------------------------- the illustrative cards

DEFAULT_MISSION = Mission(
    name="Hypothetical mission: stabilise a crisis far from the lead nation's territory",
    lead="Lead nation",
    needs={"forces": 10, "access": 4, "legitimacy": 10},
    lead_brings={"forces": 6, "access": 1, "legitimacy": 1},
    lead_days=7,
    mandate_days=45,
    mandate_legitimacy=3,
)

DEFAULT_CARDS: tuple[PartnerCard, ...] = (
    PartnerCard(
        "close-ally", "Close ally with expeditionary forces", "Close ally",
        brings={"forces": 4, "legitimacy": 1}, days_to_commit=5,
        motive="a shared view of the threat and a long partnership with the lead nation"),
    PartnerCard(
        "host-state", "Neighbouring host state", "Host state",
        brings={"access": 4, "legitimacy": 1}, days_to_commit=10,
        conditions=("keep its support low-key in public",),
        motive="geography: the crisis is on its border and it wants it over"),
    PartnerCard(
        "niche-ally", "Small ally with a niche capability (special forces)", "Niche ally",
        brings={"forces": 1, "legitimacy": 1}, days_to_commit=3,
        motive="to please the lead nation and to gain experience alongside it"),
    PartnerCard(
        "caveat-ally", "Medium ally with national caveats", "Caveat ally",
        brings={"forces": 3, "legitimacy": 1}, days_to_commit=21, usable_share=0.5,
        caveats=("no offensive operations, safer sector only",), accepts_self_defence=False,
        motive="domestic opinion wants it to help, but not to fight"),
    PartnerCard(
        "regional-power", "Regional power that insists on a UN mandate", "Regional power",
        brings={"forces": 2, "access": 2, "legitimacy": 3}, days_to_commit=14, needs_un_mandate=True,
        conditions=("a say in the post-crisis settlement",),
        motive="influence in its own region"),
    PartnerCard(
        "aspirant", "Aspiring member seeking closer ties", "Aspirant",
        brings={"forces": 1, "legitimacy": 1}, days_to_commit=7,
        conditions=("support for its bid to join the lead nation's alliance later",),
        motive="future gains: membership of a club it wants to join"),
    PartnerCard(
        "political-only", "Distant state offering political support only", "Political backer",
        brings={"legitimacy": 1}, days_to_commit=1,
        motive="to be seen on the lead nation's side at little cost"),
    PartnerCard(
        "major-power", "Major power that insists on a UN mandate and a say in the plan", "Major power",
        brings={"forces": 3, "legitimacy": 3}, days_to_commit=30, needs_un_mandate=True,
        conditions=("a veto over the campaign plan",),
        motive="its standing as a great power and its own interests in the region"),
)


# A card for the state in crisis itself: not one of the default partners (the notebook's choices stay as they
# were); add it to the cards to let its government invite the force, e.g. assess(..., [*DEFAULT_CARDS, CONSENT_CARD]).
CONSENT_CARD = PartnerCard(
    "crisis-government", "Government of the state in crisis, asking for help", "Crisis government",
    brings={"access": 1, "legitimacy": 1}, days_to_commit=4, grants_consent=True,
    motive="it wants the crisis on its territory ended and asks for outside help")


# The chart and the widget live in coalition_builder_view; these names are looked up there when first used.
__getattr__ = forward_to_view(__name__, ["draw_assessment", "widget", "CoalitionBuilder"])
