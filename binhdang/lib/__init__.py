"""Small pure helpers for Vietnamese text, numbers, dates and agency names (no Django imports)."""
