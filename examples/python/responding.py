"""Which forces are graded requires improvement or worse at responding to the
public in PEEL 2023-25, and did each get better or worse since PEEL 2021/22?

Asked by a police and crime commissioner's office comparing its force with
others. Bear in mind: a grade not found in the sources is None, never filled
in, so "no earlier grade" means the 2021/22 grade is not on record.

    pip install ./python
    python examples/python/responding.py [AREA]     # AREA defaults to "responding"
"""

import sys

import peelql

area = sys.argv[1] if len(sys.argv) > 1 else "responding"
engine = peelql.Engine()  # the bundled grades, in memory
query = engine.prepare(
    "forces where area($area) <= requires improvement "
    "select name, area($area) as now, previous(area($area)) as before "
    "order by now, name"
)
rows = query.run(area=area)

print(f"{len(rows)} forces graded requires improvement or worse at {area!r} (PEEL 2023-25):\n")
for name, now, before in rows:
    if before is None:
        change = "no earlier grade on record"
    elif now < before:
        change = f"worse (was {before})"
    elif now > before:
        change = f"better (was {before})"
    else:
        change = "the same"
    print(f"  {name:<32} {now!s:<22} {change}")

worse = [name for name, now, before in rows if before is not None and now < before]
print(f"\n{len(worse)} of them got worse since PEEL 2021/22.")
