class InvalidTransition(Exception):
    """The transition table does not allow this move from the object's current state."""

    def __init__(self, obj, action: str, current: str):
        self.obj = obj
        self.action = action
        self.current = current
        super().__init__(f"Cannot {action} {obj._meta.verbose_name} while it is {current}.")
