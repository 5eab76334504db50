"""The sufficiency statement: assemble ``StatementData`` from library results, then render it.

Entry points: :func:`sufficiency.report.build.build_statement` (pure: Dataset -> StatementData)
and :func:`sufficiency.report.output.write_statement` (HTML, PDF, XLSX, JSON into a folder).
Nothing is imported here so that ``sufficiency --help`` stays fast.
"""
