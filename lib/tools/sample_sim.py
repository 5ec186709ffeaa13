"""The sample generator's consumers: who they are, their balances, field visits and payments.

Vectorised numpy over one chunk of consumers at a time. Every step draws from the chunk's own
generator in a fixed order, so the same seed gives the same numbers; keep the order when editing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from lib.data.contract import ACTIVITIES, CATEGORIES, CHANNELS, DUES_BANDS
from lib.tools.sample_org import Hierarchy, read_hierarchy

FIRST_DAY = date(2026, 2, 1)  # first balance snapshot; day index 0 everywhere below
CAMPAIGN_START = date(2026, 2, 2)
CAMPAIGN_END = date(2026, 2, 7)
CAMPAIGN_DAYS = range((CAMPAIGN_START - FIRST_DAY).days, (CAMPAIGN_END - FIRST_DAY).days + 1)
# Field work ramps up as teams get going: share of each campaign day's events.
CAMPAIGN_RAMP = np.array([0.10, 0.13, 0.16, 0.18, 0.21, 0.22])
NEVER = 10**6  # day index of an event that does not happen
FIELD_TEAMS = 10  # staff teams per division

AMISPS = ("Genus", "Intellismart", "Polaris", "Apraava")
# Localities the Director (Commercial) and the chief engineers visited get extra field work.
FOCUS_AREAS = {"Mahavir Chowk": 1.5, "Gandhi Nagar": 1.35, "Town Hall": 1.35, "Mandi": 1.35,
               "Ganganagar": 1.5, "Kazipur": 1.5}
FOCUS_DIVISIONS = {"Khatauli": 1.3}

# Category mix (order of CATEGORIES) in city and rural areas; overall ~85% domestic.
CATEGORY_MIX_URBAN = np.array([0.82, 0.135, 0.02, 0.012, 0.003, 0.01])
CATEGORY_MIX_RURAL = np.array([0.88, 0.06, 0.01, 0.01, 0.035, 0.005])
# Sanctioned load choices (kW) and daily consumption in rupees per kW, per category.
LOADS = {
    "domestic": ((1, 2, 3, 4, 5), (0.35, 0.30, 0.18, 0.10, 0.07), 14),
    "commercial": ((1, 2, 3, 5, 7.5, 10), (0.15, 0.25, 0.20, 0.20, 0.10, 0.10), 25),
    "industrial": ((10, 15, 25, 50, 75), (0.3, 0.25, 0.2, 0.15, 0.1), 30),
    "institutional": ((2, 5, 10), (0.4, 0.4, 0.2), 20),
    "agricultural": ((3, 5, 7.5, 10), (0.3, 0.4, 0.2, 0.1), 8),
    "other": ((1, 2, 3), (0.5, 0.3, 0.2), 15),
}
# Share of arrears in each dues band (DUES_BANDS order): domestic vs everyone else.
BAND_MIX_DOMESTIC = np.array([0.66, 0.245, 0.072, 0.021, 0.002])
BAND_MIX_OTHER = np.array([0.30, 0.31, 0.22, 0.14, 0.03])
ARREARS_FLOOR_PAISE = 50_00  # smallest arrears drawn
ARREARS_CEILING_PAISE = 6_00_000_00  # largest arrears drawn (open top band)
# Chance that a paying negative-balance consumer pays off the whole arrears, per dues band.
CLEAR_PROB_BY_BAND = np.array([0.80, 0.62, 0.38, 0.18, 0.06])
TOPUP_RUPEES = np.array([0, 100, 200, 300, 500, 1000])
POSITIVE_RECHARGE_RUPEES = np.array([100, 200, 300, 500, 1000, 2000])
POSITIVE_RECHARGE_MIX = np.array([0.10, 0.22, 0.13, 0.30, 0.18, 0.07])
# Channel mix (CHANNELS order) for consumers who have the app and who do not.
CHANNEL_MIX_APP = np.array([0.78, 0.12, 0.05, 0.03, 0.02])
CHANNEL_MIX_NO_APP = np.array([0.0, 0.45, 0.33, 0.15, 0.07])
SMART_APP = CHANNELS.index("smart_app")


@dataclass(frozen=True)
class Setup:
    """Everything fixed for one run: hierarchy, per-area tables, lookups, number mixing."""

    hierarchy: Hierarchy
    seed: int
    sim_days: int
    area_weights: np.ndarray
    area_negative_share: np.ndarray
    area_intensity: np.ndarray
    area_response: np.ndarray
    area_amisp: np.ndarray
    account_mul: int
    account_add: int
    meter_mul: int
    meter_add: int


@dataclass(frozen=True)
class Consumers:
    """One chunk's master data, one entry per consumer."""

    area: np.ndarray  # area index
    urban: np.ndarray
    category: np.ndarray  # index into CATEGORIES
    account: np.ndarray  # int64 account numbers
    amisp: np.ndarray  # index into AMISPS
    meter_serial: np.ndarray
    since: np.ndarray  # smart meter since, days from 2023-01-01
    load_tenths: np.ndarray  # sanctioned load in tenths of a kW
    daily_paise: np.ndarray  # typical daily consumption

    @property
    def domestic(self) -> np.ndarray:
        """Which consumers are domestic."""
        return self.category == CATEGORIES.index("domestic")


@dataclass
class Chunk:
    """One chunk of simulated consumers and everything that happened to them."""

    consumers: Consumers
    balances: np.ndarray  # (n, sim_days) end-of-day balance in paise
    activities: dict[str, np.ndarray]  # consumer, kind, day, second, staff (one entry per event)
    recharges: dict[str, np.ndarray]  # consumer, day, second, paise, channel
    circle_actuals: np.ndarray  # (len(TARGET_METRICS), circles) counts over the campaign
    area_counts: np.ndarray  # consumers per area


def setup(seed: int, sim_days: int) -> Setup:
    """Read the organisation and draw the run-wide parameters: area sizes, behaviour, numbering."""
    h = read_hierarchy()
    rng = np.random.default_rng([seed, 0])
    n_areas = len(h.rows)
    # City localities hold more consumers; sizes vary within each kind.
    weights = np.where(h.area_urban, 3.0, 1.0) * rng.lognormal(0.0, 0.35, n_areas)
    profiles = h.zone_profiles
    zone_neg = np.array([p.negative_share for p in profiles])[h.area_zone]
    zone_int = np.array([p.intensity for p in profiles])[h.area_zone]
    zone_resp = np.array([p.response for p in profiles])[h.area_zone]
    division_effect = rng.lognormal(0.0, 0.12, len(h.division_codes))[h.area_division]
    amisp = np.array([AMISPS.index(p.amisp) for p in profiles])[h.area_zone]
    focus = np.array([FOCUS_AREAS.get(r["area_name"], 1.0)
                      * FOCUS_DIVISIONS.get(r["division_name"], 1.0) for r in h.rows])

    def coprime(low: int, high: int) -> int:
        # Multipliers coprime with powers of ten make index -> number a bijection (unique).
        while True:
            m = int(rng.integers(low, high))
            if m % 2 and m % 5:
                return m

    return Setup(
        hierarchy=h, seed=seed, sim_days=sim_days,
        area_weights=weights / weights.sum(),
        area_negative_share=np.clip(zone_neg + rng.normal(0, 0.02, n_areas), 0.6, 0.95),
        area_intensity=zone_int * division_effect * focus,
        area_response=zone_resp * division_effect,
        area_amisp=amisp,
        account_mul=coprime(10**9, 10**10), account_add=int(rng.integers(0, 10**10)),
        meter_mul=coprime(10**7, 10**8), meter_add=int(rng.integers(0, 10**8)),
    )


def pick(rng: np.random.Generator, probabilities: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn from one probability vector (a zero-probability index never comes up)."""
    cumulative = np.cumsum(probabilities)
    return np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")


def daytime(rng: np.random.Generator, n: int, start_h: float, end_h: float) -> np.ndarray:
    """Seconds after midnight, uniform between two hours of the day."""
    return rng.integers(int(start_h * 3600), int(end_h * 3600), n)


def simulate(s: Setup, chunk_no: int, first: int, n: int) -> Chunk:
    """Simulate consumers first..first+n-1: attributes, balances, field events, payments."""
    rng = np.random.default_rng([s.seed, 1, chunk_no])
    c = _consumers(s, rng, first, n)
    negative, band, balance = _opening_balance(s, rng, c)
    field = _field_work(s, rng, c, negative, band)
    balances, recharges = _days(s, rng, c, field, balance, band)
    activities = _activities(rng, field)

    # Campaign results per circle, for sizing the targets.
    start, end = CAMPAIGN_DAYS[0] - 1, CAMPAIGN_DAYS[-1]
    circle = s.hierarchy.area_circle[c.area]
    circles = len(s.hierarchy.circle_codes)
    cleared = (balances[:, start] < 0) & (balances[:, end] >= 0)
    actuals = np.vstack([np.bincount(circle[m], minlength=circles)  # TARGET_METRICS order
                         for m in (field["verified"], field["app"], cleared)])
    return Chunk(consumers=c, balances=balances, activities=activities, recharges=recharges,
                 circle_actuals=actuals,
                 area_counts=np.bincount(c.area, minlength=len(s.hierarchy.rows)))


def _consumers(s: Setup, rng: np.random.Generator, first: int, n: int) -> Consumers:
    """Master data: area, category, account and meter numbers, load and usual consumption."""
    index = np.arange(first, first + n, dtype=np.int64)
    area = pick(rng, s.area_weights, n)
    urban = s.hierarchy.area_urban[area]
    category = np.where(urban, pick(rng, CATEGORY_MIX_URBAN, n), pick(rng, CATEGORY_MIX_RURAL, n))
    account = (index * s.account_mul + s.account_add) % 10**10
    amisp = np.where(rng.random(n) < 0.92, s.area_amisp[area], rng.integers(0, len(AMISPS), n))
    meter_serial = (index * s.meter_mul + s.meter_add) % 10**8
    since = (rng.beta(2.0, 1.3, n) * 1095).astype(np.int64)  # later-heavy
    load_tenths = np.zeros(n, dtype=np.int64)
    rupees_per_day = np.zeros(n)
    for k, cat in enumerate(CATEGORIES):
        mask = category == k
        loads, mix, per_kw = LOADS[cat]
        load = np.asarray(loads, dtype=float)[pick(rng, np.asarray(mix), int(mask.sum()))]
        load_tenths[mask] = np.rint(load * 10).astype(np.int64)
        rupees_per_day[mask] = load * per_kw
    daily_paise = rupees_per_day * 100 * rng.lognormal(0.0, 0.35, n)
    return Consumers(area=area, urban=urban, category=category, account=account, amisp=amisp,
                     meter_serial=meter_serial, since=since, load_tenths=load_tenths,
                     daily_paise=daily_paise)


def _opening_balance(s: Setup, rng: np.random.Generator,
                     c: Consumers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Balance at the end of 2026-01-31: arrears drawn band by band, credit lognormal."""
    n = len(c.area)
    domestic = c.domestic
    negative = rng.random(n) < s.area_negative_share[c.area]
    band = np.where(domestic, pick(rng, BAND_MIX_DOMESTIC, n), pick(rng, BAND_MIX_OTHER, n))
    lows = np.array([max(low, ARREARS_FLOOR_PAISE) for _, low, _ in DUES_BANDS])
    highs = np.array([high or ARREARS_CEILING_PAISE for _, _, high in DUES_BANDS])
    arrears = np.exp(rng.uniform(np.log(lows[band] + 1), np.log(highs[band])))
    credit = rng.lognormal(np.log(700_00), 0.9, n) * np.where(domestic, 1.0, 3.0)
    balance = np.rint(np.where(negative, -arrears, credit)).astype(np.int64)
    return negative, band, balance


def _field_work(s: Setup, rng: np.random.Generator, c: Consumers, negative: np.ndarray,
                band: np.ndarray) -> dict[str, np.ndarray]:
    """The field campaign, planned over the whole campaign whatever the number of output days."""
    # Masks (verified, pre_app, app, trained, contacted, followup), each event's day and second
    # (otp_day, otp_sec, app_day, ...) and the team that visits the household (staff).
    n = len(c.area)
    urban = c.urban
    intensity = s.area_intensity[c.area]
    campaign_days = np.array(CAMPAIGN_DAYS)
    never = np.full(n, NEVER)
    f: dict[str, np.ndarray] = {"staff": rng.integers(1, FIELD_TEAMS + 1, n)}

    verified = f["verified"] = rng.random(n) < np.clip(0.26 * intensity, 0, 0.9)
    otp_day = f["otp_day"] = np.where(verified, campaign_days[pick(rng, CAMPAIGN_RAMP, n)], never)
    otp_sec = f["otp_sec"] = daytime(rng, n, 9.5, 18.5)
    # Some consumers already had the app; the rest install it mostly right after verification.
    pre_app = f["pre_app"] = rng.random(n) < np.where(urban, 0.10, 0.04)
    p_app = np.where(verified, np.where(urban, 0.62, 0.46), 0.025 * intensity)
    app = f["app"] = ~pre_app & (rng.random(n) < np.clip(p_app, 0, 0.95))
    later = verified & (rng.random(n) < 0.2)
    app_day = np.where(verified, np.minimum(otp_day + later * rng.integers(1, 3, n),
                                            campaign_days[-1]),
                       campaign_days[pick(rng, CAMPAIGN_RAMP, n)])
    app_day = f["app_day"] = np.where(app, app_day, never)
    app_sec = f["app_sec"] = np.where(app_day == otp_day, otp_sec + rng.integers(120, 1200, n),
                                      daytime(rng, n, 9.5, 18.5))
    trained = f["trained"] = ((app & (rng.random(n) < 0.82))
                              | (verified & pre_app & (rng.random(n) < 0.3)))
    f["trained_day"] = np.where(trained, np.where(app, app_day, otp_day), never)
    f["trained_sec"] = np.where(app, app_sec, otp_sec) + rng.integers(300, 1800, n)

    # Field contacts go to consumers in arrears, more to bigger arrears.
    band_push = np.array([0.8, 1.1, 1.4, 1.6, 1.8])[band]
    p_contact = np.where(negative, 0.30 * band_push, 0.02) * intensity
    contacted = f["contacted"] = rng.random(n) < np.clip(p_contact, 0, 0.95)
    contact_day = f["contact_day"] = np.where(
        contacted, campaign_days[pick(rng, CAMPAIGN_RAMP, n)], never)
    f["contact_sec"] = daytime(rng, n, 9.0, 19.5)
    followup = f["followup"] = (contacted & (contact_day < campaign_days[-1])
                                & (rng.random(n) < 0.15))
    f["followup_day"] = np.where(followup, np.minimum(contact_day + rng.integers(1, 3, n),
                                                      campaign_days[-1]), never)
    f["followup_sec"] = daytime(rng, n, 9.0, 19.5)
    return f


def _days(s: Setup, rng: np.random.Generator, c: Consumers, f: dict[str, np.ndarray],
          balance: np.ndarray, band: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Day by day: consumption debits, recharges, end-of-day snapshot; (balances, recharges)."""
    n = len(c.area)
    domestic = c.domestic
    response = s.area_response[c.area]
    contact_day, followup_day, app_day = f["contact_day"], f["followup_day"], f["app_day"]
    balances = np.empty((n, s.sim_days), dtype=np.int64)
    pay_cols: dict[str, list[np.ndarray]] = {k: [] for k in
                                             ("consumer", "day", "second", "paise", "channel")}
    for day in range(s.sim_days):
        debit = np.rint(c.daily_paise * rng.uniform(0.75, 1.25, n)).astype(np.int64)
        in_arrears = balance < 0
        p = np.where(in_arrears, 0.022, np.where(balance < 300_00, 0.09, 0.03))
        p = p + in_arrears * response * np.where(
            contact_day == day, 0.20,
            np.where((contact_day < day) | (followup_day == day), 0.07, 0.0))
        has_app = f["pre_app"] | (app_day <= day)
        p = p * np.where(has_app, 1.35, 1.0)
        pays = rng.random(n) < np.clip(p, 0, 0.9)
        who = np.flatnonzero(pays)

        owed = -balance[who] + debit[who]  # what clears the account after today's use
        clears = rng.random(len(who)) < CLEAR_PROB_BY_BAND[band[who]]
        round_up = (owed + 100_00 - 1) // 100_00 * 100_00 + TOPUP_RUPEES[
            rng.integers(0, len(TOPUP_RUPEES), len(who))] * 100
        exact = rng.random(len(who)) < 0.2  # some pay the exact amount shown in the app
        clear_amount = np.where(exact, owed, round_up)
        partial = np.maximum(100_00, np.rint(-balance[who] * rng.uniform(0.2, 0.7, len(who))
                                             / 100_00).astype(np.int64) * 100_00)
        usual = POSITIVE_RECHARGE_RUPEES[pick(rng, POSITIVE_RECHARGE_MIX, len(who))] * 100 * \
            np.where(domestic[who], 1, 3)
        amount = np.where(in_arrears[who], np.where(clears, clear_amount, partial), usual)

        channel = np.where(has_app[who], pick(rng, CHANNEL_MIX_APP, len(who)),
                           pick(rng, CHANNEL_MIX_NO_APP, len(who)))
        # A payment prompted by today's visit or made in today's new app comes after it.
        after = np.where(contact_day[who] == day, f["contact_sec"][who], 0)
        new_app = (app_day[who] == day) & (channel == SMART_APP) & ~f["pre_app"][who]
        after = np.maximum(after, np.where(new_app, f["app_sec"][who], 0))
        second = np.where(after > 0, after + rng.integers(300, 10800, len(who)),
                          daytime(rng, len(who), 6.0, 23.5))
        second = np.minimum(second, 86399)

        balance = balance - debit
        balance[who] += amount
        balances[:, day] = balance
        for key, value in (("consumer", who), ("day", np.full(len(who), day)),
                           ("second", second), ("paise", amount), ("channel", channel)):
            pay_cols[key].append(value)
    return balances, {k: np.concatenate(v) for k, v in pay_cols.items()}


def _activities(rng: np.random.Generator, f: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The field events as one entry per event: consumer, kind, day, second, staff team."""
    kinds = {name: ACTIVITIES.index(name) for name in ACTIVITIES}
    events = [("verified", kinds["otp_verified"], "otp"), ("app", kinds["app_downloaded"], "app"),
              ("trained", kinds["app_trained"], "trained"),
              ("contacted", kinds["contacted"], "contact"),
              ("followup", kinds["contacted"], "followup")]
    parts: dict[str, list[np.ndarray]] = {k: [] for k in
                                          ("consumer", "kind", "day", "second", "staff")}
    for mask, kind, when in events:
        who = np.flatnonzero(f[mask])
        parts["consumer"].append(who)
        parts["kind"].append(np.full(len(who), kind))
        parts["day"].append(f[f"{when}_day"][who])
        parts["second"].append(f[f"{when}_sec"][who])
        # Contacts are made by the revenue team, installs by the household's field team.
        team = (f["staff"][who] if kind != kinds["contacted"]
                else rng.integers(1, FIELD_TEAMS + 1, len(who)))
        parts["staff"].append(team)
    return {k: np.concatenate(v) for k, v in parts.items()}
