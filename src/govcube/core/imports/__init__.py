"""Spreadsheet (xlsx) import of buildings, enterprises, tenancies and people.

The parts, in the order a file meets them:

- ``workbook``: opens an upload safely (size, zip signature, openpyxl), matches the header row
  against a ``RowSpec``, reads the rows; also builds the template and the error report.
- ``specs``: one ``RowSpec`` per kind (headers in Chinese and English, a strict parser per
  column); ``parsers`` holds the cell parsers.
- ``handlers``: one upsert per kind that looks the row up by its key and calls the existing
  services (territory / directory), so validation, permission and audit are the same as
  everywhere; an unchanged row writes nothing.
- ``engine``: checks every row (dry run in short transactions), then stores all rows or the
  valid ones, counting created / updated / unchanged and collecting row-level errors.
- ``services`` / ``selectors`` / ``tasks``: the ``ImportJob`` life cycle, reads scoped to the
  uploader, and the background task.
"""
