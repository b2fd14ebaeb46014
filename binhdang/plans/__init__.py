"""Plans: documents, objectives, indicators and targets, tasks, projects, budgets and reporting regimes."""
