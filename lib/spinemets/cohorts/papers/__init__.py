"""Paper-specific post-steps of the cohort engine.

A spec names one as ``poststep: "spinemets.cohorts.papers.<module>:<function>"``.

Each function takes ``(df, spec, rng)`` and returns the cohort; it runs after the survival draw
and before the id column and the schema check.
"""
