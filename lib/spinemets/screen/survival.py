"""Survival reporting rules: what Kaplan-Meier tables, medians and matched-pair tests allow."""

from __future__ import annotations
