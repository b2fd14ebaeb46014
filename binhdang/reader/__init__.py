"""Uploaded plan documents: read by binhdang.docparse in the background, reviewed by a person, accepted as plans."""
