"""`make bench`: request times and SQL query counts at national scale (SPEC §4).

How it works
------------
`python -m benchmarks.run` starts one worker process per dataset (`benchmarks.measure`):

- **small**: real territories + 3 synthetic projects;
- **large**: real territories + 5,000 synthetic projects spread over real communes, times
  `BENCH_SCALE` (1 by default; 10 for 50,000 projects, 100,000 calls, 500,000 applications…),
  each scale in a database of its own (benchmarks/settings.py), built once and kept.

Each worker builds its dataset once in its own database (`.bench/*.sqlite3`, or PostgreSQL when
`BENCH_DATABASE_URL` is set) and reuses it afterwards: `datasets.STEPS` records what was built in a
`bench_meta` table and only redoes a step whose signature changed. It then requests every scenario
through the full Django stack (`django.test.Client`: real URLs, middleware, templates) and returns
the median time, the SQL query count and the SQL time (the sum of the statements' durations). The
runner prints one table (`domain.print_table`, shared by every module) with the counts and SQL
times on both datasets, and fails when a query count grows with the data size, when a page does
not answer 200, or when a page is more than its target ratio slower than a bare Django view
rendering the DSFR base template with no query. The builders write through `bulk.insert` (COPY on
PostgreSQL); `python -m benchmarks.build` (`make bench-data`) builds every module's datasets
without timing anything. docs/performance.md gives the figures.

Adding a row
------------
Append a `Scenario` to `benchmarks.scenarios.SCENARIOS` (a URL, or a function returning one, and
optionally the user role and the target ratio; `fresh` for a new URL at each request, which no
cache holds). When the page needs data at scale, add a `Step`
to `benchmarks.datasets.STEPS` (a name, a signature to bump when the step changes, and a function
taking the dataset size) and the runner builds it once on both datasets.
"""
