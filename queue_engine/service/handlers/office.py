"""The front office's settings: pause walk-ins, keep a full service open, temporary and
reassigned counters, info messages for the displays.

Every handler records who gave the command (`by`) in the audit log, in the command's own
transaction, with an anonymous event for the event log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta

from link.protocol.office import InfoView
from link.protocol.office_replies import (
    CounterSetupResult,
    InfoResult,
    InfoWithdrawnResult,
    KeepOpenResult,
    ServicePauseResult,
)
from queue_engine.domain import events as ev
from queue_engine.domain import office_commands as oc
from queue_engine.domain.errors import InvalidCommand, InvalidTransition, NotFound
from queue_engine.domain.model import CounterState, CounterStatus
from queue_engine.domain.office import (
    CounterAssignment,
    FullOverride,
    InfoMessage,
    ServicePause,
    TemporaryCounter,
)
from queue_engine.service.work import Work

#: The longest an info message may stay up.
MAX_INFO = timedelta(days=31)


def texts_for(work: Work, texts: Mapping[str, str], what: str) -> dict[str, str]:
    """Texts in the site's languages, one at least in its default language."""
    offered = work.site.languages
    other = sorted(set(texts) - set(offered))
    if other:
        raise InvalidCommand(
            f"{what}: {', '.join(other)} is not offered here ({', '.join(offered)})"
        )
    if work.site.default_language not in texts:
        raise InvalidCommand(f"{what} needs a text in {work.site.default_language}, the site's own")
    return {lang: texts[lang] for lang in offered if lang in texts}


def request_key(prefix: str, cmd: oc.OfficeCommand) -> str:
    """A short id made from the request, the same on a retry."""
    return prefix + hashlib.sha1(f"{cmd.actor}|{cmd.request_id}".encode()).hexdigest()[:11]


def pause_service(work: Work, cmd: oc.PauseService) -> ServicePauseResult:
    """Stop walk-ins of a service until it is resumed; kiosks show the message."""
    service = work.service(cmd.service_id)
    if not service.walk_in:
        raise InvalidCommand(f"{service.id} takes no walk-ins: there is nothing to pause")
    message = texts_for(work, cmd.message, "the pause message")
    earlier = work.office_record("pauses", service.id)
    since = earlier.since if isinstance(earlier, ServicePause) else work.now
    events = () if earlier else (ev.WalkInsPaused(at=work.now, service_id=service.id),)
    work.put_office(ServicePause(service.id, since, message), *events)
    work.audit(
        cmd.by,
        cmd.actor,
        "pause_service",
        service=service.id,
        message=message[work.site.default_language],
    )
    return ServicePauseResult(service_id=service.id, paused=True, message=message)


def resume_service(work: Work, cmd: oc.ResumeService) -> ServicePauseResult:
    """Walk-ins of a paused service again."""
    service = work.service(cmd.service_id)
    if work.office_record("pauses", service.id) is None:
        raise InvalidTransition(f"walk-ins of {service.id} are not paused", service=service.id)
    work.remove_office("pauses", service.id, ev.WalkInsResumed(at=work.now, service_id=service.id))
    work.audit(cmd.by, cmd.actor, "resume_service", service=service.id)
    return ServicePauseResult(service_id=service.id, paused=False)


def keep_open_today(work: Work, cmd: oc.KeepOpenToday) -> KeepOpenResult:
    """Override full_today for the rest of the local day, or stop overriding it."""
    service = work.service(cmd.service_id)
    day = work.state.day
    event = ev.KeptOpenToday(at=work.now, service_id=service.id, keep_open=cmd.keep_open)
    if cmd.keep_open:
        work.put_office(FullOverride(service.id, day, work.now), event)
    elif work.office_record("overrides", service.id) is not None:
        work.remove_office("overrides", service.id, event)
    work.audit(cmd.by, cmd.actor, "keep_open_today", service=service.id, keep_open=cmd.keep_open)
    return KeepOpenResult(service_id=service.id, keep_open=cmd.keep_open, day=day)


def _services(work: Work, services: tuple[str, ...]) -> tuple[str, ...]:
    """Known services, each once, in the order given."""
    for service_id in services:
        work.service(service_id)
    return tuple(dict.fromkeys(services))


def open_temporary_counter(work: Work, cmd: oc.OpenTemporaryCounter) -> CounterSetupResult:
    """A counter for today only; staff open it at their terminal as any counter."""
    if cmd.counter_id in work.site.counters:
        raise InvalidCommand(f"there is already a counter {cmd.counter_id!r}")
    services = _services(work, cmd.services)
    if not services:
        raise InvalidCommand("a temporary counter needs at least one service")
    counter = TemporaryCounter(
        cmd.counter_id,
        work.state.day,
        cmd.name,
        services,
        work.now,
        zone=cmd.zone,
        floor=cmd.floor,
        room=cmd.room,
    )
    work.put_office(
        counter, ev.TemporaryCounterOpened(at=work.now, counter_id=counter.id, services=services)
    )
    work.put_counter(CounterState(counter.id, CounterStatus.CLOSED, changed_at=work.now))
    work.audit(cmd.by, cmd.actor, "open_temporary_counter", counter=counter.id, name=counter.name)
    return CounterSetupResult(
        counter_id=counter.id, name=counter.name, services=list(services), temporary=True, open=True
    )


def close_temporary_counter(work: Work, cmd: oc.CloseTemporaryCounter) -> CounterSetupResult:
    """Remove a temporary counter that has no ticket and none sent to it."""
    temporary = work.office_record("temporary", cmd.counter_id)
    if not isinstance(temporary, TemporaryCounter):
        raise NotFound(f"no temporary counter {cmd.counter_id!r} today", counter=cmd.counter_id)
    state = work.counter_state(temporary.id)
    if state.ticket_id is not None:
        number = work.ticket(state.ticket_id).number
        raise InvalidTransition(f"{temporary.name} still has {number}; finish or transfer it first")
    sent = [t.number for t in work.tickets() if t.target_counter_id == temporary.id]
    if sent:
        raise InvalidTransition(
            f"{', '.join(sorted(sent))} are sent to {temporary.name}; transfer them first"
        )
    work.remove_office(
        "temporary", temporary.id, ev.TemporaryCounterClosed(at=work.now, counter_id=temporary.id)
    )
    if state.status is not CounterStatus.CLOSED:
        work.put_counter(CounterState(temporary.id, CounterStatus.CLOSED, changed_at=work.now))
    work.audit(cmd.by, cmd.actor, "close_temporary_counter", counter=temporary.id)
    return CounterSetupResult(
        counter_id=temporary.id,
        name=temporary.name,
        services=list(temporary.services),
        temporary=True,
        open=False,
    )


def assign_counter(work: Work, cmd: oc.AssignCounter) -> CounterSetupResult:
    """A configured counter serves other services today (none given: the site file's)."""
    configured = work.state.base_site.counters.get(cmd.counter_id)
    if configured is None:
        raise NotFound(f"no counter {cmd.counter_id!r} in the site file", counter=cmd.counter_id)
    services = _services(work, cmd.services)
    if services:
        assignment = CounterAssignment(configured.id, work.state.day, services, work.now)
        event = ev.CounterAssigned(at=work.now, counter_id=configured.id, services=services)
        work.put_office(assignment, event)
    elif work.office_record("assignments", configured.id) is not None:
        services = tuple(cs.service_id for cs in configured.services)
        event = ev.CounterAssigned(at=work.now, counter_id=configured.id, services=services)
        work.remove_office("assignments", configured.id, event)
    else:
        raise InvalidTransition(f"{configured.name} already serves the site file's services")
    work.audit(
        cmd.by, cmd.actor, "assign_counter", counter=configured.id, services=" ".join(services)
    )
    return CounterSetupResult(
        counter_id=configured.id,
        name=configured.name,
        services=list(services),
        temporary=False,
        open=True,
    )


def info_view(info: InfoMessage) -> InfoView:
    """An info message as published."""
    return InfoView(
        id=info.id,
        texts=dict(info.texts),
        zones=list(info.zones),
        devices=list(info.devices),
        since=info.since,
        until=info.until,
    )


def post_info(work: Work, cmd: oc.PostInfo) -> InfoResult:
    """An info message for the displays until it expires."""
    texts = texts_for(work, cmd.texts, "the info message")
    if cmd.until <= work.now:
        raise InvalidCommand(
            f"the info message would expire at {cmd.until.isoformat()}, in the past"
        )
    if cmd.until > work.now + MAX_INFO:
        raise InvalidCommand(f"an info message stays up at most {MAX_INFO.days} days")
    zones = {c.zone for c in work.site.counters.values() if c.zone}
    unknown = sorted(set(cmd.zones) - zones)
    if unknown:
        raise InvalidCommand(
            f"unknown zone {', '.join(unknown)} (zones: {', '.join(sorted(zones))})"
        )
    info = InfoMessage(
        request_key("i", cmd),
        texts,
        work.now,
        cmd.until,
        zones=tuple(dict.fromkeys(cmd.zones)),
        devices=tuple(dict.fromkeys(cmd.devices)),
    )
    work.put_office(info, ev.InfoPosted(at=work.now, info_id=info.id, until=info.until))
    work.audit(
        cmd.by,
        cmd.actor,
        "post_info",
        info=info.id,
        text=texts[work.site.default_language],
        until=info.until.isoformat(),
    )
    return InfoResult(info=info_view(info))


def withdraw_info(work: Work, cmd: oc.WithdrawInfo) -> InfoWithdrawnResult:
    """Take an info message off the displays."""
    if work.office_record("info", cmd.info_id) is None:
        raise NotFound(f"no info message {cmd.info_id!r}", info=cmd.info_id)
    work.remove_office("info", cmd.info_id, ev.InfoWithdrawn(at=work.now, info_id=cmd.info_id))
    work.audit(cmd.by, cmd.actor, "withdraw_info", info=cmd.info_id)
    return InfoWithdrawnResult(info_id=cmd.info_id)
