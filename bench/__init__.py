"""hrss benchmarks: ``make bench`` / ``hrss bench [NAME...] [--scale small|large]``.

Each benchmark measures a figure and, in the same run on the same data, the baseline it
is judged against; results go to ``bench/results/latest.json`` and ``latest.md``. See
``docs/performance.md``.
"""
