"""Pure computation engines (no Django imports): matching, gaps, optimisation."""
