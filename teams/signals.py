from django.dispatch import Signal

#: Sent once after a save that added, changed or removed members of a team (the
#: admin's team page, ``services.add_member``), not once per member row.
#: Arguments: team.
members_changed = Signal()
