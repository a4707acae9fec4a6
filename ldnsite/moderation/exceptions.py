STALE_DECISION = "This item changed since you opened it. Please read it again before deciding."


class InvalidTransition(Exception):
    """The transition table does not allow this move from the object's current state."""

    def __init__(self, obj, action: str, current: str):
        self.obj = obj
        self.action = action
        self.current = current
        super().__init__(f"Cannot {action} {obj._meta.verbose_name} while it is {current}.")


class ItemChanged(Exception):
    """The item changed after the moderator opened it: a decision now would be about words nobody read."""

    def __init__(self, message: str = STALE_DECISION):
        super().__init__(message)


class OwnContent(PermissionError):
    """Nobody decides on their own writing, or on reports about it: another moderator does."""

    def __init__(self, message: str = "This is your own; another moderator needs to decide on it."):
        super().__init__(message)


def refuse_if_changed(current, seen: str | None) -> None:
    """`seen` is the version the moderator's form carried (None: not a moderator's form, e.g. automatic
    hiding after reports). Any other version than the current one means they read something else."""
    if seen is not None and str(seen).strip() != str(current):
        raise ItemChanged()
