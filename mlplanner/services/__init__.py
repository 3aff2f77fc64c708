"""Plain-Python jobs over a database session and a clock; no UI here.

One rule for transactions: a service never commits. It reads and writes through the
session it is given; the caller's unit of work (`store.unit_of_work`, or
`Planner.session()`) commits when the job succeeds and rolls back when it raises, so
each review, logged session or status change is one transaction of the caller's making.
"""
