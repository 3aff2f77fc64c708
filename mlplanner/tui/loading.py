"""One worker at a time imports what the app loads after its first frame.

Two workers start together: the app's, which opens the database, and the main screen's,
which reads its data. Each imports much of SQLAlchemy, SQLModel and the services on its
first run. Python's import locks are per module, so two threads importing overlapping
sets of modules at once can each hold a lock the other waits for, and one import then
fails ("deadlock detected"). Both workers take this lock around their first imports.
"""

from __future__ import annotations

import threading

IMPORTS = threading.Lock()
