# -*- coding: utf-8 -*-
# Copyright (c) 2026 cyberark_community.identity contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Flow control of one transport: the shared pause, the in-flight limiter and the requests-a-second cap.

FOR INTERNAL COLLECTION USE ONLY: this file may change in any release.

Three parts, each asked by ``Transport`` before a request goes out and told how it ended:

- :class:`Pause`: a moment before which no request is sent, set by a 429's ``Retry-After`` (threads share it);
- :class:`Limiter`: how many requests may be in flight; its :class:`LimiterPhase` is ``GROWING`` (below the cap, a run
  of fast answers adds a place) or ``FULL`` (at the cap); every 429 halves it (additive increase, multiplicative
  decrease), after which it grows again;
- :class:`RateCap`: at most so many requests a second, the user's cap and one learnt from the tenant's 429s; its
  :class:`CapState` says how the learnt cap moves each second without a 429::

      NONE ──429 after a busy stretch──> CLIMBING ──429 after a clean run──> RETURNING ──> HOLDING ──HOLD s──> PROBING
                                            (x1.5 / s)                          (x1.10 / s)   (stays)         (x1.02 / s)
      any state ──429 that shows a limit crossed──> the cap is learnt again (RETURNING once a ceiling is known)

Every number that tunes them is in :data:`TUNING`, with the reason for its value.
"""

from __future__ import annotations

import collections
import dataclasses
import enum
import threading
import typing as t


@dataclasses.dataclass(frozen=True)
class FlowTuning:
    """The numbers of the flow control, in one place. Changing one changes the bench figures (``make bench``)."""

    # -- the in-flight limiter
    limiter_start: int = 4  # the first limit below the cap: a tenant's throttling is unknown until it answers
    latency_holds: float = 2.0  # an answer at most this many times the fastest seen is still fast: the tenant keeps up
    latency_slack: float = 0.005  # seconds added to that bound, so that a fastest answer of ~0 s does not make all slow
    limiter_wait: float = 1.0  # seconds a waiting request sleeps before it looks again (woken sooner on any release)

    # -- the requests-a-second cap learnt from 429s
    window: float = 10.0  # seconds of answers that measure the rate the tenant sustains
    raise_every: float = 1.0  # seconds without a 429 between two raises of the learnt cap
    enough: int = 20  # successful answers while busy before a 429 may set the learnt cap: a burst shows no limit yet
    few: int = 5  # enough of them once the tenant asked for a pause: what got through is then all there is
    hold: float = 30.0  # seconds just under the ceiling before probing above it (the limit or its share may change)
    clean_run: float = 0.5  # seconds without a 429 or a pause before a 429 that shows a limit just crossed
    held: float = 0.3  # share of the time paused (Retry-After) that shows the cap was set too high
    held_pace: float = 0.8  # ... when the task also got through less than this share of the pace
    held_after: float = 1.0  # seconds since the cap was set before pauses can show it too high
    climb: float = 1.5  # raise a second with no ceiling known yet: find the limit quickly
    back: float = 1.10  # raise a second back up to the plateau under a known ceiling
    probe: float = 1.02  # raise a second above the plateau, after ``hold`` seconds: slowly, a limit is near
    under_ceiling: float = 0.93  # where the cap stays below the ceiling: close to it, yet with no 429
    sustained_margin: float = 0.95  # the learnt cap is a twentieth under the rate the tenant sustained
    clean_floor: float = 0.9  # after a clean run the cap goes no lower than this share of the ceiling
    held_floor: float = 0.8  # ... and no lower than this share when learnt again because pauses held the task
    min_span: float = 0.05  # seconds: the shortest stretch a rate is measured over (no division by ~0)
    min_rate: float = 0.5  # requests a second the learnt cap never goes below: the task always moves
    lowering_pause: float = 0.5  # seconds after a lowering within which a pause is the one that came with it
    at_pace: float = 0.8  # a stretch that sent at least this share of its pace was held back by the cap
    slowed: float = 0.7  # ... and a lowering that left less than this share of what got through before only slowed the task


TUNING = FlowTuning()


class Pause:
    """A moment before which no request is sent, shared by every thread of one transport."""

    def __init__(self, clock: t.Callable[[], float], sleep: t.Callable[[float], None]) -> None:
        self._until = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def extend(self, seconds: float) -> None:
        with self._lock:
            self._until = max(self._until, self._clock() + seconds)

    def wait(self) -> None:
        remaining = self._until - self._clock()
        if remaining > 0:
            self._sleep(remaining)

    def active(self) -> bool:
        return self._until > self._clock()


class LimiterPhase(enum.Enum):
    """Where the in-flight limit stands; a 429 halves it from either phase."""

    GROWING = "below the cap: a run of fast answers as long as the limit adds one place"
    FULL = "at the cap: answers change nothing until a 429"


class Limiter:
    """How many requests may be in flight. Starts low, grows by one after a run of answers whose latency holds (at most
    twice the fastest seen), up to ``maximum``; halves on every 429 (AIMD). With one worker it changes nothing; with many
    it finds what the tenant and this controller sustain, and lets the tenant's throttling set the pace.
    """

    def __init__(self, maximum: int = 1, tuning: FlowTuning = TUNING) -> None:
        self.tuning = tuning
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.in_flight = 0
        self.waiting = 0  # requests waiting for a free place: the task is busy even when none is in flight
        self._successes = 0
        self._configured = False
        self._fastest: float | None = None
        self._cond = threading.Condition()
        self.samples = 0
        self.in_flight_total = 0
        self.in_flight_peak = 0

    @property
    def phase(self) -> LimiterPhase:
        return LimiterPhase.GROWING if self.limit < self.maximum else LimiterPhase.FULL

    def configure(self, maximum: int) -> None:
        """A new cap. The first starts the limit from a safe value below it; later ones (a settle round, the next
        phase) keep what answers taught, within the cap: a throttled task stays slowed, a fast one stays fast."""
        with self._cond:
            self.maximum = max(1, maximum)
            self.limit = min(self.limit if self._configured else self.tuning.limiter_start, self.maximum)
            self._configured = True
            # what counts as a fast answer is learnt again: the next phase's calls (writes after reads) differ
            self._fastest = None
            self._successes = 0

    def acquire(self) -> int:
        """Wait for a place; the number in flight with this request, for :meth:`give_back`."""
        with self._cond:
            self.waiting += 1
            while self.in_flight >= self.limit:
                self._cond.wait(timeout=self.tuning.limiter_wait)
            self.waiting -= 1
            self.in_flight += 1
            self.samples += 1
            self.in_flight_total += self.in_flight
            self.in_flight_peak = max(self.in_flight_peak, self.in_flight)
            return self.in_flight

    def give_back(self, counted: int) -> None:
        """Return a place taken by :meth:`acquire` for a request that was not sent; it counts nowhere."""
        with self._cond:
            self.in_flight -= 1
            self.samples -= 1
            self.in_flight_total -= counted
            self._cond.notify_all()

    def release(self, throttled: bool, latency: float | None = None) -> None:
        with self._cond:
            self.in_flight -= 1
            if throttled:
                self._back_off()
            elif self.phase is LimiterPhase.GROWING:
                self._grow(latency)
            self._cond.notify_all()

    def _back_off(self) -> None:
        self.limit = max(1, self.limit // 2)
        self._successes = 0

    def _grow(self, latency: float | None) -> None:
        """One more place after as many fast answers in a row as the limit: the tenant kept up with it."""
        if latency is not None:
            self._fastest = latency if self._fastest is None else min(self._fastest, latency)
        holds = latency is None or self._fastest is None or latency <= self.tuning.latency_holds * self._fastest + self.tuning.latency_slack
        self._successes = self._successes + 1 if holds else 0
        if self._successes >= self.limit:
            self.limit += 1
            self._successes = 0

    def report(self) -> dict[str, t.Any]:
        """Requests in flight as the task saw them: mean and maximum over every request sent."""
        with self._cond:
            mean = self.in_flight_total / self.samples if self.samples else 0.0
            return {"in_flight_mean": round(mean, 1), "in_flight_max": self.in_flight_peak}


class CapState(enum.Enum):
    """How the learnt cap moves each ``raise_every`` second without a 429."""

    NONE = "no learnt cap: only the user's, if any"
    CLIMBING = "no ceiling known yet: raised by half a second"
    RETURNING = "under the plateau below the ceiling: raised by a tenth a second, up to the plateau"
    HOLDING = "at the plateau, fewer than HOLD seconds since the cap was set: unchanged"
    PROBING = "at the plateau for HOLD seconds: raised by 2% a second, in case the limit changed"


@dataclasses.dataclass
class Stretch:
    """What the tenant let through while one learnt cap was in force (from one lowering to the next), counted from the
    first pause the tenant asked for in it: before that, a bucket's stored burst may pass that no tenant sustains."""

    since: float
    pace: float  # requests a second of the learnt cap when it began; 0 = none
    settled: float | None = None  # when its first pause began; None = none yet, nothing counted
    answers: int = 0  # answers since then
    throttled: int = 0

    def sent_rate(self, now: float, paused: float, min_span: float) -> float:
        """Requests a second while the task could send (``paused``: the seconds spent in pauses since ``settled``)."""
        return self.answers / max(now - (self.settled or now) - paused, min_span)

    def through_rate(self, now: float, min_span: float) -> float:
        """Answers other than 429 a second, pauses included: what the task got done."""
        return (self.answers - self.throttled) / max(now - (self.settled or now), min_span)


class RateCap:
    """At most so many requests a second across every thread: each request takes the next free slot.

    Two caps: the user's (``max_requests_per_second``), so a quota the tenant shares with other applications is never
    exceeded even in a burst; and one learnt from the tenant's HTTP 429 answers. A limit lets a burst through and
    refuses the rest, so the rate a tenant sustains shows only over time, and only while the task sends as fast as it
    may. The first 429 after ``enough`` successful answers (``few`` once the tenant asked for a pause) sets the learnt
    cap to the rate of those answers since the task became busy (requests in flight or waiting, or waiting for the cap
    or a pause; at most the last ``window`` seconds, pauses included), a twentieth lower; a sequential stretch before it
    (a paged read) says nothing of the limit and is left out. With no ceiling known yet, the cap then climbs by half
    every second (:class:`CapState`).

    A 429 that ends a clean run (``clean_run`` seconds and ``enough`` answers without a 429 or a pause) shows a limit
    just crossed: the ceiling becomes what the tenant let through in the last half second (at most the pace in force),
    and the cap goes to 90% of it. The cap climbs back by a tenth a second to 93% of the ceiling and stays there; only
    after ``hold`` seconds without a 429 does it probe above, 2% a second, in case the limit or another application's
    share of it changed. 429s scattered among successes end no clean run: they come from a failing tenant, not a limit,
    and slowing down would not help. When the pauses 429s ask for (Retry-After) take 30% of the time since the cap was
    set and the task got through less than 80% of the pace, the cap was set too high: it is learnt again from the rate
    of the successful answers, pauses included, or at most a fifth lower once a ceiling is known.

    Some tenants answer 429 whatever the rate (a share of every answer, each asking for a pause). Slowing down does not
    help then; it only slows the task, down to the floor. So each learnt cap's stretch is kept (:class:`Stretch`): when a
    stretch that sent at its pace still met 429s and got less than 70% of what an earlier stretch with no cap or a faster
    one got through (each counted from its first pause: a bucket's stored burst before it says nothing), the lowering
    only slowed the task. The cap goes back to the faster
    stretch's, and for ``hold`` seconds only a 429 that ends a clean run (a limit just crossed) lowers it (``blind``:
    the tenant's 429s do not follow the rate).
    """

    def __init__(self, per_second: float | None, clock: t.Callable[[], float], sleep: t.Callable[[float], None],
                 tuning: FlowTuning = TUNING) -> None:
        self.tuning = tuning
        self.fixed = 1.0 / per_second if per_second else 0.0
        self.learnt = 0.0  # seconds between requests; 0 = no learnt cap
        self.ceiling = 0.0  # requests a second at which the learnt cap last met a 429; 0 = none yet
        self._next = 0.0
        self._raised = 0.0
        self._lowered = 0.0
        self._pace_from = 0.0  # when the learnt cap last changed, or the pause that came with it ended
        self._busy_since: float | None = None
        self._refused_at = 0.0
        self._pauses: collections.deque[tuple[float, float]] = collections.deque()
        self._answers: collections.deque[tuple[float, bool]] = collections.deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep
        self.stretches = [Stretch(since=clock(), pace=0.0)]  # the last is in force
        self._blind_until = 0.0  # until then, the tenant's 429s are taken as not following the rate (``blind``)

    def wait(self) -> None:
        with self._lock:
            interval = max(self.fixed, self.learnt)
            if not interval:
                return
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + interval
        if slot > now:
            self._sleep(slot - now)

    def paused(self, seconds: float) -> None:
        """The tenant asked every request to wait (a 429's Retry-After, or a backoff without one)."""
        if seconds > 0:
            with self._lock:
                now = self._clock()
                if self._pauses and self._pauses[-1][1] >= now:
                    self._pauses[-1] = (self._pauses[-1][0], max(self._pauses[-1][1], now + seconds))
                else:
                    self._pauses.append((now, now + seconds))
                if self.stretches[-1].settled is None:
                    self.stretches[-1].settled = now
                if now - self._lowered < self.tuning.lowering_pause:  # the pause that came with the lowering: the new pace applies after it
                    self._pace_from = max(self._pace_from, now + seconds)

    def holding_back(self) -> bool:
        """Whether a request is waiting for its slot: the cap, not the task, sets the pace."""
        return self._next > self._clock()

    def answered(self, throttled: bool, busy: bool = True) -> None:
        """Record an answer (``busy``: other requests were in flight or waiting); a 429 may set the learnt cap from the
        rate of the successful answers of the busy stretch before it."""
        window = self.tuning.window
        with self._lock:
            now = self._clock()
            if not busy:
                self._busy_since = None
            elif self._busy_since is None:
                self._busy_since = now
            self._answers.append((now, throttled))
            if self.stretches[-1].settled is not None:
                self.stretches[-1].answers += 1
                self.stretches[-1].throttled += throttled
            while self._answers and self._answers[0][0] < now - window:
                self._answers.popleft()
            while self._pauses and self._pauses[0][1] < now - window:
                self._pauses.popleft()
            if throttled and self._busy_since is not None:
                self._learn(now, max(self._busy_since, now - window))
            if throttled:
                self._refused_at = now
            elif self.learnt and now - self._raised >= self.tuning.raise_every:
                self.learnt = 1.0 / self._raised_rate(now)
                self._raised = now

    def state(self, now: float) -> CapState:
        """Where the learnt cap stands (:class:`CapState`)."""
        if not self.learnt:
            return CapState.NONE
        if not self.ceiling:
            return CapState.CLIMBING
        if 1.0 / self.learnt < self.tuning.under_ceiling * self.ceiling:
            return CapState.RETURNING
        return CapState.PROBING if now - self._lowered >= self.tuning.hold else CapState.HOLDING

    def _raised_rate(self, now: float) -> float:
        """The rate of the learnt cap one ``raise_every`` later, as its state says."""
        tuning = self.tuning
        rate = 1.0 / self.learnt
        state = self.state(now)
        if state is CapState.CLIMBING:
            return rate * tuning.climb
        if state is CapState.RETURNING:
            return min(tuning.under_ceiling * self.ceiling, rate * tuning.back)
        return rate * tuning.probe if state is CapState.PROBING else rate

    def _answered_since(self, moment: float) -> int:
        return sum(1 for when, _throttled in self._answers if when >= moment)

    def _learn(self, now: float, start: float) -> None:
        """Set the learnt cap after a 429 that ends the busy stretch since ``start``, when the stretch shows a limit."""
        tuning = self.tuning
        answers = [was_throttled for when, was_throttled in self._answers if when >= start]
        let_through = len(answers) - sum(answers)
        # A limit shows after a burst the tenant let through; a 429 among the first answers says nothing yet, unless
        # the tenant already asked for a pause since the task became busy: then what got through is all there is.
        paused_before = any(start < until <= now for _since, until in self._pauses)
        if let_through < (tuning.few if paused_before else tuning.enough):
            return
        pace = 1.0 / self.learnt if self.learnt else 0.0
        run_start = max(self._refused_at, self._pauses[-1][1] if self._pauses else 0.0, start)
        clean = self._clean_run(now, run_start)
        if self.blind(now) and not clean:
            return  # the tenant's 429s do not follow the rate: only a limit just crossed says something
        if pace and not (clean or self._held(now, start, pace)):
            return  # scattered among successes: a failing tenant's 429
        if not clean and self._only_slowed(now):
            return
        sustained = tuning.sustained_margin * let_through / max(now - start, tuning.min_span)
        if pace:
            sustained = self._under_ceiling(now, run_start, pace, clean, sustained)
        self._set_learnt(now, 1.0 / max(tuning.min_rate, sustained))

    def _set_learnt(self, now: float, interval: float) -> None:
        """A new learnt cap (seconds between requests, 0 for none), in force from ``now``: a new stretch begins."""
        self.learnt = interval
        self._raised = self._lowered = self._pace_from = now
        self.stretches = self.stretches[-8:] + [Stretch(since=now, pace=1.0 / interval if interval else 0.0)]

    def blind(self, now: float) -> bool:
        """Whether the tenant's 429s were lately seen not to follow the rate (for ``hold`` seconds after that was seen)."""
        return now < self._blind_until

    def _only_slowed(self, now: float) -> bool:
        """Whether the stretch in force sent at its pace, still met 429s and got less done than an earlier stretch with
        no cap or a faster one (each counted from its first pause): the tenant's 429s do not follow the rate. The cap
        then goes back to that stretch's, and only a limit just crossed lowers it for ``hold`` seconds (:meth:`blind`)."""
        tuning = self.tuning
        current = self.stretches[-1]
        if not current.pace or current.settled is None or current.answers < 2 * tuning.few or not current.throttled:
            return False
        if current.sent_rate(now, self._paused_since(current.settled, now), tuning.min_span) < tuning.at_pace * current.pace:
            return False  # the cap did not hold the task back: the tenant did
        ends = [later.since for later in self.stretches[1:]] + [now]
        for earlier, end in zip(self.stretches[:-1], ends):
            faster = earlier.pace == 0.0 or tuning.slowed * earlier.pace > current.pace
            if (faster and earlier.answers >= tuning.few and earlier.throttled
                    and current.through_rate(now, tuning.min_span) < tuning.slowed * earlier.through_rate(end, tuning.min_span)):
                self._blind_until = now + tuning.hold
                self._set_learnt(now, 1.0 / earlier.pace if earlier.pace else 0.0)
                return True
        return False

    def _paused_since(self, since: float, now: float) -> float:
        """Seconds between ``since`` and ``now`` spent in pauses the tenant asked for (those of the last ``window``)."""
        return sum(max(0.0, min(until, now) - max(start, since)) for start, until in self._pauses)

    def _clean_run(self, now: float, run_start: float) -> bool:
        """A run long enough since the last 429 or pause to show a limit just crossed."""
        return now - run_start >= self.tuning.clean_run and self._answered_since(run_start) > self.tuning.enough

    def _held(self, now: float, start: float, pace: float) -> bool:
        """Since the cap was set, pauses took much of the time and the task got through well under the pace."""
        tuning = self.tuning
        set_at = max(start, self._pace_from)
        paused = sum(max(0.0, min(until, now) - max(since, set_at)) for since, until in self._pauses)
        return (now - set_at >= tuning.held_after and paused >= tuning.held * (now - set_at)
                and self._answered_since(set_at) < tuning.held_pace * pace * (now - set_at))

    def _under_ceiling(self, now: float, run_start: float, pace: float, clean: bool, sustained: float) -> float:
        """The rate to learn when a pace was in force: the ceiling it met decides, unless the cap was learnt from a burst
        with no ceiling known (the sustained rate says more than the pace then)."""
        tuning = self.tuning
        ceiling_known = bool(self.ceiling)
        # What the tenant let through in the last half second (of the clean run): less than the pace when the task
        # could not keep it, or when the pace was raised just before the 429.
        since = max(run_start, now - tuning.clean_run)
        let_through = sum(1 for when, was_throttled in self._answers if when >= since and not was_throttled)
        self.ceiling = min(pace, let_through / (now - since)) if clean else pace
        if not (clean or ceiling_known):
            return sustained
        floor = (tuning.clean_floor if clean else tuning.held_floor) * self.ceiling
        return min(max(sustained, floor), tuning.under_ceiling * self.ceiling)
