"""Score the plan reader against golden files: precision and recall per field (docs/reader-scoring.md).

Two kinds of golden file are read into the same comparable items:

- ``<name>.golden.json`` (``binhdang.reader-golden/1``): the fields that matter on real documents, written by
  reading the document;
- ``<seed>.expected.json`` (``binhdang.plan/1``): a seed's whole golden plan, from which the same items are
  derived, so the seeds are scored the same way.

The reader's output (a plan/1 dict, plus the names docs/reader-scoring.md defines for verdicts, groups and
one-off deadlines) is turned into the same items, and each field is matched as the doc says. Pure Python: the
reader is called through its public ``parse_bytes``; nothing here imports Django.

- :mod:`.golden`: golden files and reader output as items (load, find the source, quote checks);
- :mod:`.match`: the matching rules and the counts (``score_document``, ``score_folders``);
- :mod:`.report`: the table and the verbose list.
"""
