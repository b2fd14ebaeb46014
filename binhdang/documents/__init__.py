"""Official documents in the form of Decree 30/2020 (Word and PDF)."""
