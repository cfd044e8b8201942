"""Offers: the recommended base (pure), offers with approvals, letters.

Imports hiring, candidates and roles; hiring never imports offers.
"""
