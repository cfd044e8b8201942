"""Demo data: the demo company and deterministic volume sets. Nothing imports this package."""
