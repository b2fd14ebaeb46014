"""Monitoring: progress against targets, roll-up over the hierarchy, dashboards."""
