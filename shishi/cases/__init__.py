"""典型案例评选: selections with nominations, judges' rubric scores and a public vote."""
