"""The fake tenant's settable attributes: the fields of its fault settings, and its knobs for what Workday does not
document (the choices each takes are here; ``docs/fake-tenant.md`` says what each models).

:class:`Setting` reads and replaces one field of a tenant's frozen :class:`~._faults.FaultSettings`; :class:`Knob`
holds one checked choice, such as ``interview_data_names``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar, overload

import attrs

if TYPE_CHECKING:
    from ._server import FakeTenant

__all__ = [
    "CANCELLED_INTERVIEWS",
    "INTERVIEW_DATA_NAMES",
    "CancelledInterviews",
    "InterviewDataNames",
    "Knob",
    "Setting",
]

#: What a ``wd:Interview`` of a ``Get_Interviews`` answer names besides its event: nothing more (``"event"``), a
#: second ``Interview_Data`` naming its job application (``"application"``), or one naming its candidate and
#: requisition (``"candidate"``).
InterviewDataNames = Literal["event", "application", "candidate"]
INTERVIEW_DATA_NAMES: Final[tuple[InterviewDataNames, ...]] = ("event", "application", "candidate")

#: Whether ``Get_Interviews`` still answers a cancelled interview event (``"kept"``) or leaves it out of every answer
#: (``"omitted"``: listed by no criteria, and an unknown instance by reference).
CancelledInterviews = Literal["kept", "omitted"]
CANCELLED_INTERVIEWS: Final[tuple[CancelledInterviews, ...]] = ("kept", "omitted")

_G = TypeVar("_G")
_S = TypeVar("_S")
_C = TypeVar("_C", bound=str)


class Setting(Generic[_G, _S]):
    """A :class:`FakeTenant` attribute reading, and replacing, one field of its :class:`FaultSettings`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, tenant: None, owner: type | None = None) -> Setting[_G, _S]: ...

    @overload
    def __get__(self, tenant: FakeTenant, owner: type | None = None) -> _G: ...

    def __get__(self, tenant: FakeTenant | None, owner: type | None = None) -> _G | Setting[_G, _S]:
        if tenant is None:
            return self
        value: _G = getattr(tenant.faults, self._name)
        return value

    def __set__(self, tenant: FakeTenant, value: _S) -> None:
        change: dict[str, Any] = {self._name: value}
        with tenant._lock:  # FaultSettings checks the value
            tenant.faults = attrs.evolve(tenant.faults, **change)


class Knob(Generic[_C]):
    """A :class:`FakeTenant` attribute holding one of ``choices``; any other value is refused (``ValueError``)."""

    def __init__(self, choices: tuple[_C, ...]) -> None:
        self.choices: Final = choices

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name
        self._slot = f"_knob_{name}"

    @overload
    def __get__(self, tenant: None, owner: type | None = None) -> Knob[_C]: ...

    @overload
    def __get__(self, tenant: FakeTenant, owner: type | None = None) -> _C: ...

    def __get__(self, tenant: FakeTenant | None, owner: type | None = None) -> _C | Knob[_C]:
        if tenant is None:
            return self
        value: _C = getattr(tenant, self._slot)
        return value

    def __set__(self, tenant: FakeTenant, value: _C) -> None:
        if value not in self.choices:
            raise ValueError(f"{self._name} must be one of {', '.join(map(repr, self.choices))} (got {value!r})")
        setattr(tenant, self._slot, value)
