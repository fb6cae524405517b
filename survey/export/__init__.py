"""The Excel workbook of a form's results: streamed, write-only, with safe cells."""
